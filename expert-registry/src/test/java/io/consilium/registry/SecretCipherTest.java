package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private final SecretCipher cipher = SecretCipher.withMasterKey("a master key of some length");

    @Test
    void should_give_back_the_secret_it_sealed_without_showing_it() {
        // when
        String stored = cipher.encrypt(Secret.of("sk-live-123456"));

        // then
        assertThat(stored).startsWith("v1:").doesNotContain("sk-live");
        assertThat(cipher.decrypt(stored).reveal()).isEqualTo("sk-live-123456");
    }

    @Test
    void should_seal_the_same_secret_differently_each_time() {
        assertThat(cipher.encrypt(Secret.of("sk-a"))).isNotEqualTo(cipher.encrypt(Secret.of("sk-a")));
    }

    @Test
    void should_refuse_a_value_sealed_under_another_key_or_altered() {
        // given
        String stored = cipher.encrypt(Secret.of("sk-live-123456"));
        byte[] bytes = Base64.getDecoder().decode(stored.substring(3));
        bytes[bytes.length - 1] ^= 1;
        String altered = "v1:" + Base64.getEncoder().encodeToString(bytes);

        // then
        assertThatThrownBy(() -> SecretCipher.withMasterKey("another master key entirely").decrypt(stored))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another master key");
        assertThatThrownBy(() -> cipher.decrypt(altered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decrypt("sk-plain")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_use_a_base64_key_of_32_bytes_as_is_and_refuse_a_short_one() {
        // given
        String raw = Base64.getEncoder().encodeToString(new byte[32]);

        // then
        assertThat(SecretCipher.withMasterKey(raw).decrypt(SecretCipher.withMasterKey(raw).encrypt(Secret.of("x"))).reveal())
                .isEqualTo("x");
        assertThatThrownBy(() -> SecretCipher.withMasterKey("short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but had 5");
    }
}
