package org.exbridge.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentDecodingTest {
  @Test
  void plusStaysAPlusInAPath() {
    assertThat(PercentDecoding.decode("ab+c/d=")).isEqualTo("ab+c/d=");
  }

  @Test
  void escapesAreDecoded() {
    assertThat(PercentDecoding.decode("ab%2Bc%2Fd%3D")).isEqualTo("ab+c/d=");
    assertThat(PercentDecoding.decode("%e4%bd%a0")).isEqualTo("你");
  }

  @Test
  void aBrokenEscapeIsKeptAsItStands() {
    assertThat(PercentDecoding.decode("a%2")).isEqualTo("a%2");
    assertThat(PercentDecoding.decode("a%zz")).isEqualTo("a%zz");
  }
}
