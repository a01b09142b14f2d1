package io.consilium.router.ui;

import io.consilium.profiler.ProfilingJobStatus;
import io.consilium.profiler.ProfilingJobs;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Role;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /admin/profiling}: upload a validation set and start a job, then follow it. The page starts,
 * follows (server-sent events) and cancels jobs through {@code /admin/api/profiling-jobs}; this lists the
 * experts to choose from and the recent jobs.
 */
@Controller
class ProfilingController {

    private static final int RECENT_JOBS = 10;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ProfilingJobs jobs;
    private final ExpertRegistry registry;

    ProfilingController(ProfilingJobs jobs, ExpertRegistry registry) {
        this.jobs = jobs;
        this.registry = registry;
    }

    @GetMapping("/admin/profiling")
    String page(Model model) {
        List<Expert> enabled = registry.enabled();
        // Embedding experts answer no chats, so they are neither asked nor profiled here.
        model.addAttribute("experts", enabled.stream().filter(e -> !e.servesEmbeddings()).map(Expert::id).toList());
        model.addAttribute("aggregators", enabled.stream().filter(e -> e.hasRole(Role.AGGREGATOR)).map(Expert::id).toList());
        model.addAttribute("jobs", recent());
        return "admin/profiling";
    }

    @GetMapping("/admin/profiling/jobs")
    String table(Model model) {
        model.addAttribute("jobs", recent());
        return "admin/profiling :: jobs";
    }

    private List<JobLine> recent() {
        return jobs.recent(RECENT_JOBS).stream().map(JobLine::of).toList();
    }

    /** One job in the recent jobs table. */
    record JobLine(String id, String status, String css, String progress, int errors, String experts, String started,
            String took, @Nullable String message) {

        static JobLine of(ProfilingJobStatus job) {
            String status = job.status().name().toLowerCase(Locale.ROOT);
            String css = switch (job.status()) {
                case SUCCEEDED -> "ok";
                case FAILED -> "bad";
                case CANCELLED -> "muted";
                case QUEUED, RUNNING -> "warn";
            };
            List<String> who = new ArrayList<>(job.experts());
            job.aggregators().forEach(id -> who.add(id + " (aggregator)"));
            return new JobLine(job.id(), status, css, job.done() + " / " + job.total(), job.errors(), String.join(", ", who),
                    job.startedAt() == null ? Figures.NONE : WHEN.format(job.startedAt()),
                    took(job.startedAt(), job.finishedAt()), job.message());
        }

        private static String took(@Nullable Instant started, @Nullable Instant finished) {
            return started == null || finished == null ? Figures.NONE : Figures.latency(Duration.between(started, finished));
        }
    }
}
