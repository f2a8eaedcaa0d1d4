package dev.flinkelt.support;

import dev.flinkelt.monitor.PrometheusText;
import dev.flinkelt.monitor.PrometheusText.Sample;
import dev.flinkelt.runtime.JobEnvironment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One scrape of a Prometheus endpoint (text format 0.0.4), parsed into samples: name, labels,
 * value.
 */
public final class PrometheusScrape {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final List<Sample> samples;
    public final String text;

    private PrometheusScrape(String text) {
        this.text = text;
        this.samples = PrometheusText.parse(text);
    }

    /** A port free right now, for a reporter to bind. */
    public static int freePort() {
        try {
            return JobEnvironment.freePort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    public static PrometheusScrape of(int port) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("scrape answered HTTP " + r.statusCode());
        }
        return new PrometheusScrape(r.body());
    }

    /** Every metric family name in the scrape (a summary also as name_count and name_sum). */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The samples of {@code name} whose labels pass {@code labels}. */
    public List<Sample> of(String name, Predicate<Map<String, String>> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && labels.test(s.labels()))
                .toList();
    }

    public double sum(String name, Predicate<Map<String, String>> labels) {
        return of(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The smallest value of the samples (NaN aside), empty when there is none. */
    public Optional<Double> min(String name, Predicate<Map<String, String>> labels) {
        return of(name, labels).stream()
                .map(Sample::value)
                .filter(v -> !v.isNaN())
                .min(Double::compare);
    }

    /** The largest value of the samples (NaN aside), empty when there is none. */
    public Optional<Double> max(String name, Predicate<Map<String, String>> labels) {
        return of(name, labels).stream()
                .map(Sample::value)
                .filter(v -> !v.isNaN())
                .max(Double::compare);
    }

    /** {@code labels} with {@code key} equal to {@code value}. */
    public static Predicate<Map<String, String>> label(String key, String value) {
        return l -> value.equals(l.get(key));
    }
}
