package io.consilium.router.batchapi;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Statistic;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the counter of local model loads ({@value #COUNTER}), by expert when it is tagged so. Without local
 * experts the counter does not exist and every reading is zero.
 */
final class ModelLoads {

    static final String COUNTER = "consilium.local.model.loads";
    private static final String[] EXPERT_TAGS = {"expert", "model"};

    private final MeterRegistry meters;

    ModelLoads(MeterRegistry meters) {
        this.meters = meters;
    }

    Reading now() {
        Map<String, Long> byExpert = new HashMap<>();
        long total = 0;
        for (Meter meter : meters.find(COUNTER).meters()) {
            long count = 0;
            for (Measurement measurement : meter.measure()) {
                if (measurement.getStatistic() == Statistic.COUNT) {
                    count += (long) measurement.getValue();
                }
            }
            total += count;
            String expert = expertOf(meter);
            if (expert != null) {
                byExpert.merge(expert, count, Long::sum);
            }
        }
        return new Reading(byExpert, total);
    }

    private static @Nullable String expertOf(Meter meter) {
        for (String tag : EXPERT_TAGS) {
            String value = meter.getId().getTag(tag);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** Loads counted so far: in all, and by expert where the counter says. */
    record Reading(Map<String, Long> byExpert, long total) {

        Reading {
            byExpert = Map.copyOf(byExpert);
        }

        /** What was counted between an earlier reading and this one. */
        Reading since(Reading before) {
            Map<String, Long> delta = new HashMap<>();
            byExpert.forEach((expert, count) -> {
                long grown = count - before.byExpert.getOrDefault(expert, 0L);
                if (grown > 0) {
                    delta.put(expert, grown);
                }
            });
            return new Reading(delta, Math.max(0, total - before.total));
        }
    }
}
