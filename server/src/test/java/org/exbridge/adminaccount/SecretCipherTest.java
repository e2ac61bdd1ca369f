package org.exbridge.adminaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretCipherTest {
  private final SecretCipher cipher = new SecretCipher(new byte[32]);

  @Test
  void aSecretComesBackForItsOwner() {
    String ciphertext = cipher.encrypt("p@ssw0rd", "admin@exchange.test");
    assertThat(ciphertext).doesNotContain("p@ssw0rd");
    assertThat(cipher.decrypt(ciphertext, "admin@exchange.test")).isEqualTo("p@ssw0rd");
  }

  @Test
  void theSameSecretSealsDifferentlyEachTime() {
    assertThat(cipher.encrypt("x", "o")).isNotEqualTo(cipher.encrypt("x", "o"));
  }

  @Test
  void aCiphertextMovedToAnotherOwnerDoesNotDecrypt() {
    String ciphertext = cipher.encrypt("p@ssw0rd", "admin@exchange.test");
    assertThatThrownBy(() -> cipher.decrypt(ciphertext, "other@exchange.test"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anotherKeyDoesNotDecrypt() {
    String ciphertext = cipher.encrypt("p@ssw0rd", "o");
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new SecretCipher(other).decrypt(ciphertext, "o"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keysOfOddSizesAreRefused() {
    assertThatThrownBy(() -> new SecretCipher(new byte[20]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
