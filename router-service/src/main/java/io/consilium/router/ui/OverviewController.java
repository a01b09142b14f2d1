package io.consilium.router.ui;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /admin}: traffic, errors and latency per expert, from the service's own meters. */
@Controller
class OverviewController {

    private final ExpertRegistry registry;
    private final CallStatistics statistics;

    OverviewController(ExpertRegistry registry, CallStatistics statistics) {
        this.registry = registry;
        this.statistics = statistics;
    }

    @GetMapping({"/admin", "/admin/"})
    String page(Model model) {
        model.addAttribute("overview", overview());
        return "admin/overview";
    }

    /** The figures alone, refreshed by the page every few seconds. */
    @GetMapping("/admin/overview/figures")
    String figures(Model model) {
        model.addAttribute("overview", overview());
        return "admin/overview :: figures";
    }

    private Overview overview() {
        CallStatistics.Reading recent = statistics.recent();
        CallStatistics.Reading total = statistics.sinceStart();
        List<ExpertLine> lines = registry.all().stream()
                .map(expert -> ExpertLine.of(expert, Health.of(expert, registry), recent.expert(expert.id()),
                        total.expert(expert.id()), recent.span()))
                .toList();
        long expertCalls = lines.stream().mapToLong(ExpertLine::recentCallCount).sum();
        long expertFailures = recent.experts().values().stream().mapToLong(CallStatistics.ExpertTally::failures).sum();
        long decided = recent.experts().values().stream().mapToLong(t -> t.ok() + t.failures()).sum();
        CallStatistics.ChatTally chat = recent.chat();
        double recentCost = recent.experts().values().stream().mapToDouble(CallStatistics.ExpertTally::costUsd).sum();
        return new Overview(window(recent.span()), chat.requests(), total.chat().requests(),
                Figures.share(chat.requests() == 0 ? null : (double) chat.failed() / chat.requests()),
                Figures.share(chat.requests() == 0 ? null : (double) chat.refused() / chat.requests()),
                expertCalls, Figures.share(decided == 0 ? null : (double) expertFailures / decided), lines,
                Figures.dollarsPerHour(recentCost, recent.span()));
    }

    private static String window(Duration span) {
        if (span.isZero() || span.compareTo(CallStatistics.WINDOW.minusSeconds(30)) >= 0) {
            return span.isZero() ? "since start" : "last " + CallStatistics.WINDOW.toMinutes() + " minutes";
        }
        return span.toMinutes() < 1 ? "last " + span.toSeconds() + " seconds" : "last " + span.toMinutes() + " min";
    }

    /**
     * The overview page's figures.
     *
     * @param window what "recent" covers, in words
     * @param chatFailedShare share of chat requests answered with a 5xx
     * @param chatRefusedShare share of chat requests refused with a 4xx (bad request, key, limit)
     * @param costPerHour recent spending on experts, at their prices, as a rate per hour
     */
    record Overview(String window, long chatRequests, long chatRequestsSinceStart, String chatFailedShare,
            String chatRefusedShare, long expertCalls, String expertErrorRate, List<ExpertLine> experts,
            String costPerHour) {}

    /** One expert's line of the table. */
    record ExpertLine(String id, String provider, Health health, long recentCallCount, String recentErrorRate,
            String p50, String p95, long callsSinceStart, String errorRateSinceStart, String inputPrice,
            String outputPrice, String costPerHour) {

        static ExpertLine of(Expert expert, Health health, CallStatistics.ExpertTally recent,
                CallStatistics.ExpertTally total, Duration span) {
            return new ExpertLine(expert.id(), expert.provider().id(), health, recent.calls(),
                    Figures.share(recent.errorRate()), Figures.latency(recent.p50()), latencyOver(recent),
                    total.calls(), Figures.share(total.errorRate()), Figures.price(expert.cost().inputPerMtok()),
                    Figures.price(expert.cost().outputPerMtok()), Figures.dollarsPerHour(recent.costUsd(), span));
        }

        private static String latencyOver(CallStatistics.ExpertTally tally) {
            @Nullable Duration p95 = tally.p95();
            return p95 == null && tally.ok() > 0 ? "> 60 s" : Figures.latency(p95);
        }
    }
}
