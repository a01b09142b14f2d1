package io.consilium.router.batchapi;

import java.security.SecureRandom;

/** Random ids in OpenAI's style ({@code file-…}, {@code batch_…}); unguessable, since ids are all a reader needs. */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** 24 characters of 62 carry about 143 bits. */
    private static final int LENGTH = 24;

    private Ids() {}

    static String file() {
        return "file-" + random();
    }

    static String batch() {
        return "batch_" + random();
    }

    static String request() {
        return "batch_req_" + random();
    }

    static String requestId() {
        return "req_" + random();
    }

    private static String random() {
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
