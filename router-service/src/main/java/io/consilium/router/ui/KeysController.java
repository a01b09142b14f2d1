package io.consilium.router.ui;

import io.consilium.router.auth.ApiKey;
import io.consilium.router.auth.ApiKeys;
import io.consilium.router.budgets.Budget;
import io.consilium.router.budgets.Budgets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /admin/keys}: API keys by prefix, with their limits, budgets and what each spent in its budget's
 * current period. Creating (the only time a key is shown) and revoking go through {@code /admin/api/keys}.
 */
@Controller
class KeysController {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final ApiKeys keys;
    private final Budgets budgets;

    KeysController(ApiKeys keys, Budgets budgets) {
        this.keys = keys;
        this.budgets = budgets;
    }

    @GetMapping("/admin/keys")
    String page(Model model) {
        model.addAttribute("keys", lines());
        return "admin/keys";
    }

    @GetMapping("/admin/keys/rows")
    String table(Model model) {
        model.addAttribute("keys", lines());
        return "admin/keys :: table";
    }

    private List<KeyLine> lines() {
        Instant now = Instant.now();
        return keys.all().stream()
                .sorted(Comparator.comparing(ApiKey::revoked).thenComparing(ApiKey::createdAt, Comparator.reverseOrder()))
                .map(key -> KeyLine.of(key, budget(key), now))
                .toList();
    }

    /** The key's budget and what it spent of it so far, e.g. "$1.2500 of $5.00 this month". */
    private String budget(ApiKey key) {
        Budget budget = key.budget();
        if (!budget.limits()) {
            return "no budget";
        }
        Budgets.Standing standing = budgets.standing(key.id(), budget);
        return String.format(Locale.ROOT, "$%.4f of $%.2f %s", standing.spentUsd(), budget.usd(),
                budget.period().current());
    }

    /** One key in the table; never the key itself, which is not stored. */
    record KeyLine(String id, String name, String prefix, String models, String limits, String budget, String created,
            String expires, String state, String css, boolean revocable) {

        static KeyLine of(ApiKey key, String budget, Instant now) {
            String state;
            String css;
            if (key.revoked()) {
                state = "revoked " + when(key.revokedAt());
                css = "muted";
            } else if (key.expiredAt(now)) {
                state = "expired";
                css = "bad";
            } else {
                state = "live";
                css = "ok";
            }
            return new KeyLine(key.id(), key.name(), key.prefix() + "…",
                    key.models().isEmpty() ? "all models" : String.join(", ", key.models()), limits(key), budget,
                    when(key.createdAt()), key.expiresAt() == null ? "never" : when(key.expiresAt()), state, css,
                    !key.revoked());
        }

        private static String limits(ApiKey key) {
            List<String> parts = new ArrayList<>();
            if (key.requestsPerMinute() > 0) {
                parts.add(key.requestsPerMinute() + " requests/min");
            }
            if (key.tokensPerMinute() > 0) {
                parts.add(key.tokensPerMinute() + " tokens/min");
            }
            if (key.maxTokens() > 0) {
                parts.add("max_tokens ≤ " + key.maxTokens());
            }
            if (key.ceiling().maxK() > 0) {
                parts.add("k ≤ " + key.ceiling().maxK());
            }
            if (!key.ceiling().strategyIds().isEmpty()) {
                parts.add("strategies " + String.join(", ", key.ceiling().strategyIds()));
            }
            return parts.isEmpty() ? "no limits" : String.join(" · ", parts);
        }

        private static String when(@Nullable Instant instant) {
            return instant == null ? "" : DAY.format(instant);
        }
    }
}
