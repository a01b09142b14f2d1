package io.consilium.router.profiling;

import io.consilium.profiler.InvalidProfilingRequestException;
import io.consilium.profiler.ProfilingItem;
import io.consilium.profiler.ProfilingItemReader;
import io.consilium.profiler.ProfilingJobStatus;
import io.consilium.profiler.ProfilingJobs;
import io.consilium.profiler.ProfilingRequest;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.JsonFields;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * {@code /admin/api/profiling-jobs}: start a job from a JSON body or a JSONL upload of items, follow
 * it (status, or server-sent progress events), list recent jobs, cancel one.
 */
@RestController
@RequestMapping("/admin/api/profiling-jobs")
class ProfilingJobsController {

    static final String JSON_LINES = "application/x-ndjson";
    private static final int DEFAULT_CONCURRENCY = 4;
    private static final int DEFAULT_AGGREGATOR_SAMPLES = 10;

    private final ProfilingJobs jobs;
    private final ProfilingItemReader reader;
    private final ProgressEvents progress;

    ProfilingJobsController(ProfilingJobs jobs, ProfilingItemReader reader, ProgressEvents progress) {
        this.jobs = jobs;
        this.reader = reader;
        this.progress = progress;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobView> start(@RequestBody JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.invalidRequest(null, "The body must be a JSON object with an 'items' array.");
        }
        List<ProfilingItem> items = readItems(() -> reader.readArray(body.path("items")), "items");
        return started(request(items, JsonFields.strings(body.path("experts"), "experts", "expert ids"),
                JsonFields.strings(body.path("aggregators"), "aggregators", "expert ids"), integer(body.path("concurrency"), "concurrency",
                        DEFAULT_CONCURRENCY), body.path("reset").asBoolean(false),
                integer(body.path("aggregator_samples"), "aggregator_samples", DEFAULT_AGGREGATOR_SAMPLES),
                judge(body.path("judge"))));
    }

    /** A JSONL upload: one item per line; the other options come as query parameters. */
    @PostMapping(consumes = {JSON_LINES, "application/jsonl", MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<JobView> upload(HttpServletRequest upload,
            @RequestParam(defaultValue = "") String experts,
            @RequestParam(defaultValue = "") String aggregators,
            @RequestParam(defaultValue = "" + DEFAULT_CONCURRENCY) int concurrency,
            @RequestParam(defaultValue = "false") boolean reset,
            @RequestParam(name = "aggregator_samples", defaultValue = "" + DEFAULT_AGGREGATOR_SAMPLES) int samples,
            @RequestParam(required = false) @Nullable String judge) throws IOException {
        List<ProfilingItem> items = readItems(() -> reader.readJsonLines(
                new InputStreamReader(upload.getInputStream(), StandardCharsets.UTF_8)), "items");
        return started(request(items, split(experts), split(aggregators), concurrency, reset, samples, judge));
    }

    @GetMapping
    JobList recent(@RequestParam(defaultValue = "20") int limit) {
        return new JobList(jobs.recent(Math.max(1, Math.min(limit, 100))).stream().map(JobView::of).toList());
    }

    @GetMapping("/{id}")
    JobView status(@PathVariable String id) {
        return JobView.of(jobs.status(id).orElseThrow(() -> notFound(id)));
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable String id) {
        jobs.status(id).orElseThrow(() -> notFound(id));
        return progress.follow(id);
    }

    @DeleteMapping("/{id}")
    JobView cancel(@PathVariable String id) {
        return JobView.of(jobs.cancel(id).orElseThrow(() -> notFound(id)));
    }

    private ResponseEntity<JobView> started(ProfilingRequest request) {
        ProfilingJobStatus status;
        try {
            status = jobs.start(request);
        } catch (InvalidProfilingRequestException e) {
            throw ApiException.invalidRequest(e.field(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(null, e.getMessage());
        }
        return ResponseEntity.accepted().location(URI.create("/admin/api/profiling-jobs/" + status.id()))
                .body(JobView.of(status));
    }

    private static ProfilingRequest request(List<ProfilingItem> items, List<String> experts, List<String> aggregators,
            int concurrency, boolean reset, int samples, @Nullable String judge) {
        try {
            return new ProfilingRequest(items, experts, aggregators, concurrency, reset, samples, judge);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(null, e.getMessage());
        }
    }

    /** Reading items fails with a message naming the item and field; that becomes a 400. */
    private interface ItemSource {
        List<ProfilingItem> read() throws IOException;
    }

    private static List<ProfilingItem> readItems(ItemSource source, String param) {
        try {
            return source.read();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest(param, e.getMessage());
        } catch (IOException e) {
            throw ApiException.invalidRequest(param, "The upload could not be read.");
        }
    }


    /** The judge's id; anything but a string or null was once ignored, leaving the caller none the wiser. */
    private static @Nullable String judge(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ApiException.invalidRequest("judge", "'judge' must be the id of an enabled expert with the judge"
                    + " role, but was " + value + ".");
        }
        return value.asString();
    }

    private static int integer(JsonNode value, String field, int fallback) {
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be an integer.");
        }
        return value.asInt();
    }

    private static List<String> split(String ids) {
        return Arrays.stream(ids.split(",")).map(String::strip).filter(id -> !id.isEmpty()).toList();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("job_not_found", "No profiling job with id '" + id + "'.");
    }

    /** The list envelope. */
    record JobList(List<JobView> data) {}
}
