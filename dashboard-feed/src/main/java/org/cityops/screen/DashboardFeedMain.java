package org.cityops.screen;

import org.cityops.access.ServiceMain;

/** dashboard-feed as its own process: {@code --config dashboard-feed.json} (see deploy/k8s). */
public final class DashboardFeedMain {

    private DashboardFeedMain() {}

    public static void main(String[] args) throws Exception {
        ServiceMain.run("dashboard-feed", args, DashboardFeedVerticle::new);
    }
}
