package io.consilium.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** How keys are made and recognised: 192 random bits behind a readable prefix, stored as SHA-256. */
final class KeyMaterial {

    static final String API_KEY_PREFIX = "csk-";
    static final String ADMIN_KEY_PREFIX = "csa-";
    /** Enough of a key to tell keys apart in a list without weakening it. */
    private static final int DISPLAY_CHARS = 12;
    private static final int RANDOM_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterial() {}

    static String newKey(String prefix) {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return "key_" + HexFormat.of().formatHex(bytes);
    }

    static String displayPrefix(String key) {
        return key.substring(0, Math.min(DISPLAY_CHARS, key.length()));
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Compares two hashes in time independent of where they differ. */
    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
