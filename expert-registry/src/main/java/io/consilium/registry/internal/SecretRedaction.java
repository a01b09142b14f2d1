package io.consilium.registry.internal;

import io.consilium.registry.Expert;
import io.consilium.registry.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes every provider key the service holds out of texts that come from upstreams, before such a text
 * becomes part of an exception message and so reaches callers, logs and the admin page. Upstreams quote
 * the key they refused, and not only as sent: a key is found as it is (in any letter case), percent-encoded
 * (any byte, hex in either case, {@code +} for a space), and in base64 in both alphabets, padded or not,
 * also where it sits inside a longer base64 value such as a basic-auth pair and so starts on any of the
 * three byte offsets.
 *
 * <p>Keys of any length are redacted. A short key costs readability (its letters vanish from messages),
 * never secrecy; the registry refuses keys too short for that to stay bearable.
 *
 * <p>The clients' factory owns one instance and tells it the key of every definition it builds a client
 * for, which is every expert this replica can call, however it was registered (here, on another replica,
 * or by configuration). Keys are forgotten when their expert is removed, not when it gets a new one: an
 * answer to the old definition may still be on its way, and a replaced key may still be valid.
 */
public final class SecretRedaction {

    /** What a secret is replaced with. */
    public static final String REDACTED = "[redacted]";

    private final ConcurrentMap<String, ConcurrentMap<Secret, Pattern>> byExpert = new ConcurrentHashMap<>();

    /** A redaction that knows only this expert's key, for a client built on its own. */
    public static SecretRedaction of(Expert expert) {
        SecretRedaction redaction = new SecretRedaction();
        redaction.remember(expert);
        return redaction;
    }

    /** Starts redacting the expert's key, if it has one. */
    public void remember(Expert expert) {
        Secret key = expert.apiKey();
        if (key != null) {
            byExpert.computeIfAbsent(expert.id(), id -> new ConcurrentHashMap<>())
                    .computeIfAbsent(key, SecretRedaction::everyFormOf);
        }
    }

    /** Stops redacting the keys of a removed expert. */
    public void forget(String expertId) {
        byExpert.remove(expertId);
    }

    /** The text with every form of every known key replaced by {@value #REDACTED}. */
    public String redact(String text) {
        List<Map.Entry<Secret, Pattern>> known = new ArrayList<>();
        byExpert.values().forEach(keys -> known.addAll(keys.entrySet()));
        // Longest first: a key that contains another must not be cut into pieces, leaving its rest readable.
        known.sort(Comparator.comparingInt((Map.Entry<Secret, Pattern> entry) -> entry.getKey().reveal().length())
                .reversed());
        String redacted = text;
        for (Map.Entry<Secret, Pattern> key : known) {
            redacted = key.getValue().matcher(redacted).replaceAll(Matcher.quoteReplacement(REDACTED));
        }
        return redacted;
    }

    /** One pattern matching every form of the key, longest alternatives first. */
    static Pattern everyFormOf(Secret key) {
        String clear = key.reveal();
        byte[] bytes = clear.getBytes(StandardCharsets.UTF_8);
        Set<String> base64 = new LinkedHashSet<>();
        for (Base64.Encoder alphabet : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            base64.add(alphabet.encodeToString(bytes));
            base64.add(alphabet.withoutPadding().encodeToString(bytes));
            for (int offset = 0; offset < 3; offset++) {
                base64.add(alignedCore(alphabet, bytes, offset));
            }
        }
        List<String> alternatives = new ArrayList<>();
        alternatives.add(percentEncodable(clear));
        base64.stream().filter(form -> !form.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .forEach(alternatives::add);
        return Pattern.compile(String.join("|", alternatives), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /**
     * The characters of the key's base64 that depend on the key's bytes alone when it follows
     * {@code offset} other bytes: the same whatever comes before or after it.
     */
    private static String alignedCore(Base64.Encoder alphabet, byte[] key, int offset) {
        byte[] shifted = new byte[offset + key.length];
        System.arraycopy(key, 0, shifted, offset, key.length);
        String encoded = alphabet.withoutPadding().encodeToString(shifted);
        int keyBitsFrom = offset * 8;
        int keyBitsTo = (offset + key.length) * 8;
        int first = (keyBitsFrom + 5) / 6; // first character whose six bits all belong to the key
        int last = (keyBitsTo - 6) / 6; // last such character
        return first <= last ? encoded.substring(first, last + 1) : "";
    }

    /** The key, each character also matching its percent-encoded UTF-8 bytes (and a space also {@code +}). */
    private static String percentEncodable(String clear) {
        StringBuilder regex = new StringBuilder();
        clear.codePoints().forEach(codePoint -> {
            String character = Character.toString(codePoint);
            regex.append("(?:").append(Pattern.quote(character));
            StringBuilder encoded = new StringBuilder();
            for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
            regex.append('|').append(encoded); // %, digits and A-F need no quoting; the pattern ignores case
            if (codePoint == ' ') {
                regex.append("|\\+");
            }
            regex.append(')');
        });
        return regex.toString();
    }
}
