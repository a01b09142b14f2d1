package io.consilium.router.ui;

import io.consilium.router.auth.AdminSessions;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Where to go after signing in: only a page of this UI, never an address someone slipped into a link. */
final class NextPage {

    private static final Pattern UI_PAGE = Pattern.compile("/admin(/[a-z0-9-]+)*");

    private NextPage() {}

    static boolean isSafe(@Nullable String path) {
        return path != null && UI_PAGE.matcher(path).matches() && !path.startsWith("/admin/api")
                && !path.equals(AdminSessions.SIGN_IN_PAGE);
    }

    static String orOverview(@Nullable String path) {
        return isSafe(path) ? path : "/admin";
    }
}
