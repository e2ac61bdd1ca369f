package org.exbridge.openapi;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over the configured size: at once when Content-Length says so, and while
 * reading when the body is chunked.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
final class BodyLimitFilter extends OncePerRequestFilter {
  /** The one request that carries a file: an operator's spreadsheet of accounts to import. */
  private static final Pattern IMPORT_UPLOAD =
      Pattern.compile("/admin/api/v1/tenants/[A-Za-z0-9_.-]{1,64}/binding_imports");

  private final long maxBytes;
  private final long maxImportBytes;
  private final EdgeErrors errors;

  BodyLimitFilter(
      @Value("${exbridge.max-body-bytes}") DataSize maxBytes,
      @Value("${exbridge.max-import-bytes:4MB}") DataSize maxImportBytes,
      EdgeErrors errors) {
    this.maxBytes = maxBytes.toBytes();
    this.maxImportBytes = maxImportBytes.toBytes();
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long limit =
        "POST".equals(request.getMethod())
                && IMPORT_UPLOAD.matcher(request.getRequestURI()).matches()
            ? maxImportBytes
            : maxBytes;
    if (request.getContentLengthLong() > limit) {
      errors.write(request, response, 413, tooLarge(limit));
      return;
    }
    chain.doFilter(new Limited(request, limit), response);
  }

  private static OpenApiException tooLarge(long limit) {
    return OpenApiException.invalid("request body is larger than " + limit + " bytes");
  }

  /** Thrown while reading a body that grows past the limit. */
  static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long maxBytes) {
      super("request body is larger than " + maxBytes + " bytes");
    }
  }

  private static final class Limited extends HttpServletRequestWrapper {
    private final long maxBytes;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new Counting(super.getInputStream(), maxBytes);
      }
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    Counting(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws BodyTooLargeException {
      read += n;
      if (read > maxBytes) {
        throw new BodyTooLargeException(maxBytes);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
