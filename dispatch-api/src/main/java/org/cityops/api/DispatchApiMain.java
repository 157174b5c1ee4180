package org.cityops.api;

import org.cityops.access.ServiceMain;

/** dispatch-api as its own process: {@code --config dispatch-api.json} (see deploy/k8s). */
public final class DispatchApiMain {

    private DispatchApiMain() {}

    public static void main(String[] args) throws Exception {
        ServiceMain.run("dispatch-api", args, DispatchApiVerticle::new);
    }
}
