package org.exbridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NtlmTest {
  private static String md4(String s) {
    return HexFormat.of().formatHex(Ntlm.Md4.digest(s.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void md4MatchesTheRfc1320TestSuite() {
    assertThat(md4("")).isEqualTo("31d6cfe0d16ae931b73c59d7e0c089c0");
    assertThat(md4("abc")).isEqualTo("a448017aaf21d8525fc10ae87aa6729d");
    assertThat(md4("message digest")).isEqualTo("d9130a8164549fe818874806e1c7014b");
    assertThat(
            md4("12345678901234567890123456789012345678901234567890123456789012345678901234567890"))
        .isEqualTo("e33b4ddc9c38f2199c3e7b164fcc0536");
  }

  @Test
  void garbageIsRefused() {
    Ntlm ntlm = new Ntlm("admin@exchange.test", "secret");
    assertThat(ntlm.handle("c1", "bm90IG50bG0=")).isInstanceOf(Ntlm.Outcome.Refused.class);
    assertThat(ntlm.isAuthenticated("c1")).isFalse();
  }
}
