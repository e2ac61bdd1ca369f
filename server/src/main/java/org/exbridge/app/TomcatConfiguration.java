package org.exbridge.app;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's own error page is JSON like every other response. And binding ids are base64 and may
 * hold {@code /}; a client that percent-encodes it sends {@code %2F}, which Tomcat refuses by
 * default. Pass it through to the handler, which decodes it. {@code Expect: 100-continue} is
 * answered when the body is first read, so a refused upload is refused before it is sent.
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashes() {
    return factory -> {
      factory.addConnectorCustomizers(
          connector -> {
            connector.setEncodedSolidusHandling("passthrough");
            // "100 Continue" only once the body is read: a request refused before that (413 by
            // its Content-Length, 401) is answered before the client sends the body, rather than
            // after it has started sending megabytes that are then cut off.
            connector.setProperty("continueResponseTiming", "onRead");
          });
      factory.addContextCustomizers(
          context -> {
            if (context.getParent() instanceof StandardHost host) {
              host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
          });
    };
  }
}
