package org.exbridge.binding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BindingIdCodecTest {
  private static final String DOCUMENTED_ID =
      "ZW1haWxfYWRtaW5fZXhhbXBsZUBvdXRsb29rLmNvbSBlbWFpbF9hY2NvdW50X2V4YW1wbGVAb3V0bG9vay5jb20=";

  @Test
  void theDocumentedExampleDecodesToItsTwoAccounts() {
    assertThat(BindingIdCodec.decode(DOCUMENTED_ID))
        .contains(
            new BindingIdCodec.Accounts(
                "email_admin_example@outlook.com", "email_account_example@outlook.com"));
  }

  @Test
  void encodingTheDocumentedAccountsGivesTheDocumentedId() {
    assertThat(
            BindingIdCodec.encode(
                "email_admin_example@outlook.com", "email_account_example@outlook.com"))
        .isEqualTo(DOCUMENTED_ID);
  }

  @Test
  void decodingIsCaseInsensitiveAboutTheAddresses() {
    String id = BindingIdCodec.encode("Admin@Example.com", "User@Example.com");
    assertThat(BindingIdCodec.decode(id))
        .contains(new BindingIdCodec.Accounts("admin@example.com", "user@example.com"));
  }

  @Test
  void textThatIsNotTwoAddressesIsRejected() {
    assertThat(BindingIdCodec.decode("")).isEmpty();
    assertThat(BindingIdCodec.decode("!!!")).isEmpty();
    assertThat(BindingIdCodec.decode(BindingIdCodec.encode("a@b.com", "c@d.com").substring(3)))
        .isEmpty();
    assertThat(
            BindingIdCodec.decode(
                java.util.Base64.getEncoder().encodeToString("one@a.com".getBytes())))
        .isEmpty();
    assertThat(
            BindingIdCodec.decode(
                java.util.Base64.getEncoder().encodeToString("a@b.com c@d.com e@f.com".getBytes())))
        .isEmpty();
    assertThat(
            BindingIdCodec.decode(
                java.util.Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ' ', 'a'})))
        .isEmpty();
  }
}
