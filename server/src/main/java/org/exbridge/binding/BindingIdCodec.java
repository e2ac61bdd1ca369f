package org.exbridge.binding;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The platform's {@code exchange_binding_id}: standard base64 (with padding) of {@code
 * admin_account + " " + exchange_account}, as the documented example decodes.
 */
public final class BindingIdCodec {
  private BindingIdCodec() {}

  public record Accounts(String adminAccount, String exchangeAccount) {}

  public static String encode(String adminAccount, String exchangeAccount) {
    return Base64.getEncoder()
        .encodeToString((adminAccount + " " + exchangeAccount).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The two accounts, or empty when the id is not base64 of two e-mail addresses joined by a space.
   */
  public static Optional<Accounts> decode(String id) {
    if (id == null || id.isEmpty() || id.length() > 4096) {
      return Optional.empty();
    }
    String text;
    try {
      byte[] bytes = Base64.getDecoder().decode(id);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return Optional.empty();
    }
    int space = text.indexOf(' ');
    if (space < 0 || text.indexOf(' ', space + 1) >= 0) {
      return Optional.empty();
    }
    String admin = text.substring(0, space);
    String exchange = text.substring(space + 1);
    if (!EmailAddress.isValid(admin) || !EmailAddress.isValid(exchange)) {
      return Optional.empty();
    }
    return Optional.of(
        new Accounts(EmailAddress.normalise(admin), EmailAddress.normalise(exchange)));
  }
}
