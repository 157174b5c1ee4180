package org.cityops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a Flink job failed, from its exception history ({@code GET /jobs/:id/exceptions}): one line
 * per failure — when, in which task, and the root cause — oldest first. A drill that finds its job
 * ended fails with these lines, so a CI log says why instead of only that it waited in vain.
 */
public final class FlinkJobFailures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlinkJobFailures() {}

    /** The REST path that returns the history {@link #parse} reads. */
    public static String path(String jobId) {
        return "/jobs/" + jobId + "/exceptions?maxExceptions=20";
    }

    /** Reads the job's history from the cluster's REST endpoint; never throws. */
    public static List<String> read(URI rest, String jobId) {
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(rest.resolve(path(jobId))).build(),
                                    HttpResponse.BodyHandlers.ofString());
            return parse(response.body());
        } catch (IOException | RuntimeException e) {
            return List.of("(exception history unreadable: " + e + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("(interrupted reading the exception history)");
        }
    }

    /** One line per entry of a {@code /jobs/:id/exceptions} answer, oldest first. */
    public static List<String> parse(String exceptionsJson) throws IOException {
        List<String> lines = new ArrayList<>();
        for (JsonNode entry :
                JSON.readTree(exceptionsJson).path("exceptionHistory").path("entries")) {
            lines.add(
                    0, // the history lists the newest first
                    Instant.ofEpochMilli(entry.path("timestamp").asLong())
                            + " "
                            + entry.path("taskName")
                                    .asText("(job)")
                                    // a chain's first operator and the subtask are enough
                                    .replaceAll(" -> \\(.*\\)(?= \\(\\d+/\\d+\\))", " -> …")
                            + ": "
                            + rootCause(entry.path("stacktrace").asText()));
        }
        return lines;
    }

    /** The innermost "Caused by" of a printed stack trace, or its first line. */
    static String rootCause(String stackTrace) {
        String root = stackTrace.lines().findFirst().orElse("");
        for (String line : (Iterable<String>) stackTrace.lines()::iterator) {
            if (line.startsWith("Caused by: ")) {
                root = line.substring("Caused by: ".length());
            }
        }
        return root;
    }

    /**
     * The assertion a drill throws when its job ended: the first line — what a build's summary
     * shows — names the last failure; the rest lists them all.
     */
    public static AssertionError ended(String status, List<String> failures, Throwable cause) {
        return new AssertionError(
                String.format(
                        "the job ended %s after %d failures, the last: %s%n  all, oldest first:%n  %s",
                        status,
                        failures.size(),
                        failures.isEmpty() ? cause : failures.get(failures.size() - 1),
                        String.join(System.lineSeparator() + "  ", failures)),
                cause);
    }
}
