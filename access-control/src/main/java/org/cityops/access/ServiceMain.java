package org.cityops.access;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one CityOps service on its own (a container in a real deployment): its JSON config from
 * {@code --config FILE} (or {@code CITYOPS_CONFIG}), secrets from the environment ({@code
 * CITYOPS_JWT_SECRET}, never in the file), one verticle instance per event loop, stopped cleanly on
 * SIGTERM so Kubernetes can drain it.
 */
public final class ServiceMain {

    private ServiceMain() {}

    public static void run(String name, String[] args, Supplier<VerticleBase> verticle)
            throws Exception {
        String file = System.getenv("CITYOPS_CONFIG");
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i]) && i + 1 < args.length) {
                file = args[++i];
            }
        }
        if (file == null) {
            throw new IllegalArgumentException(
                    name + ": give --config FILE (JSON) or set CITYOPS_CONFIG");
        }
        JsonObject config = read(Path.of(file));
        Vertx vertx = Vertx.vertx();
        int instances = config.getInteger("instances", 1);
        vertx.deployVerticle(
                        verticle::get,
                        new DeploymentOptions().setConfig(config).setInstances(instances))
                .toCompletionStage()
                .toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        System.out.println(name + " started with " + file);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        vertx.close()
                                                .toCompletionStage()
                                                .toCompletableFuture()
                                                .get(20, TimeUnit.SECONDS);
                                    } catch (Exception e) {
                                        System.err.println(name + " did not stop cleanly: " + e);
                                    }
                                }));
    }

    static JsonObject read(Path file) throws IOException {
        return new JsonObject(Files.readString(file));
    }
}
