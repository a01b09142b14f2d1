package io.consilium.registry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts provider secrets for storage with AES-256-GCM under a master key, so that a copy of the
 * shared store alone reveals no credential. Each value gets a fresh 96-bit nonce; the stored form is
 * {@code v1:} followed by base64 of nonce and ciphertext with its tag. Tampering is detected on decryption.
 */
public final class SecretCipher {

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MIN_MASTER_KEY_CHARS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretCipher(SecretKey key) {
        this.key = key;
    }

    /**
     * A cipher under the given master key: base64 of exactly 32 bytes is used as the key itself, any
     * other string of at least 16 characters is hashed (SHA-256) into one.
     */
    public static SecretCipher withMasterKey(String masterKey) {
        if (masterKey.length() < MIN_MASTER_KEY_CHARS) {
            throw new IllegalArgumentException("the master key must have at least " + MIN_MASTER_KEY_CHARS
                    + " characters, but had " + masterKey.length());
        }
        return new SecretCipher(new SecretKeySpec(keyBytes(masterKey), "AES"));
    }

    public String encrypt(Secret secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
            byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + Base64.getEncoder().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The secret sealed by {@link #encrypt}; fails if it was sealed under another key or altered. */
    public Secret decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted secret");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an encrypted secret");
        }
        if (bytes.length <= NONCE_BYTES) {
            throw new IllegalArgumentException("not an encrypted secret");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            byte[] clear = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return Secret.of(new String(clear, StandardCharsets.UTF_8));
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("the secret was sealed under another master key, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] keyBytes(String masterKey) {
        try {
            byte[] decoded = Base64.getDecoder().decode(masterKey);
            if (decoded.length == 32) {
                return decoded;
            }
        } catch (IllegalArgumentException notBase64) {
            // a passphrase, hashed below
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(masterKey.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
