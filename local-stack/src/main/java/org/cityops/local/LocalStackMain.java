package org.cityops.local;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code ./cityops demo}: starts the local stack, prints where to look, runs until Ctrl-C. */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(LocalStackOptions.USAGE);
            return;
        }
        LocalStackOptions options;
        try {
            options = LocalStackOptions.parse(args, List.of());
        } catch (IllegalArgumentException e) {
            System.err.println("cityops demo: " + e.getMessage());
            System.err.print(LocalStackOptions.USAGE);
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("\nStopping CityOps…");
                                    stack.close();
                                    stopped.countDown();
                                },
                                "cityops-stop"));
        try {
            stack.start();
        } catch (Exception e) {
            System.err.println("cityops demo: could not start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.out.printf(
                """

                ======================================================================
                  CityOps is running (started in %.1f s)

                  Command screen:  %s/?token=%s
                  Operator view:   %s/?token=%s
                  Dispatch API:    %s/api/v1/incidents   (Authorization: Bearer <token>)
                  Kafka:           %s
                  Live view:       %s
                  Replay:          %s

                  Development token (operator):
                  %s
                  More tokens (leader, admin, dispatcher:<department>): --state-file PATH
                  Ctrl-C stops everything.
                ======================================================================
                %n""",
                stack.startupMillis() / 1000.0,
                stack.screenUrl(),
                stack.tokens().get("leader"),
                stack.screenUrl(),
                stack.tokens().get("operator"),
                stack.apiUrl(),
                stack.kafka(),
                stack.liveView(),
                options.replay()
                        ? "demo day 2018-12-08 at speed " + options.replaySpeed()
                        : "off (--no-replay)",
                stack.tokens().get("operator"));
        stopped.await();
    }
}
