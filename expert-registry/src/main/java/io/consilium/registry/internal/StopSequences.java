package io.consilium.registry.internal;

import java.util.List;

/**
 * Watches generated text for the request's stop sequences. Text is released only once it can no
 * longer turn out to be the start of a stop sequence, so a streamed answer never shows part of one;
 * when one appears the text is cut just before it. One per sequence; not thread-safe.
 */
final class StopSequences {

    private final List<String> stops;
    private final int longest;
    private final StringBuilder text = new StringBuilder();
    private int released;
    private boolean stopped;

    StopSequences(List<String> stops) {
        this.stops = List.copyOf(stops);
        this.longest = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /** Whether a stop sequence has appeared; nothing more is accepted then. */
    boolean stopped() {
        return stopped;
    }

    /** Adds generated text; returns the text now safe to release, possibly empty. */
    String accept(String delta) {
        if (stopped || delta.isEmpty()) {
            return "";
        }
        int searchFrom = Math.max(0, text.length() - longest + 1);
        text.append(delta);
        int cut = earliestStop(searchFrom);
        if (cut >= 0) {
            stopped = true;
            text.setLength(cut);
            return release(cut);
        }
        return release(text.length() - heldBack());
    }

    /** At the end of the sequence: whatever was held back, since no stop sequence can complete now. */
    String flush() {
        return release(text.length());
    }

    private int earliestStop(int searchFrom) {
        int earliest = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, searchFrom);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    /** Length of the longest end of the text that begins some stop sequence. */
    private int heldBack() {
        int limit = Math.min(longest - 1, text.length() - released);
        for (int length = limit; length > 0; length--) {
            int start = text.length() - length;
            for (String stop : stops) {
                if (stop.length() > length && startsAt(start, stop, length)) {
                    return length;
                }
            }
        }
        return 0;
    }

    /** Whether the text from {@code start} matches the first {@code length} characters of the stop. */
    private boolean startsAt(int start, String stop, int length) {
        for (int i = 0; i < length; i++) {
            if (text.charAt(start + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String release(int upTo) {
        if (upTo <= released) {
            return "";
        }
        String out = text.substring(released, upTo);
        released = upTo;
        return out;
    }
}
