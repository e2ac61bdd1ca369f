package org.exbridge.app;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3 description at {@code /v3/api-docs} (springdoc, from the controllers): binding ids
 * are base64 and may hold '/', so their handlers take the rest of the path; the description names
 * that rest as the {@code exchange_binding_id} parameter, and says how each API authenticates.
 */
@Configuration(proxyBeanMethods = false)
class ApiDescription {
  static final String OPERATOR = "operatorToken";
  static final String PLATFORM = "platformToken";

  @Bean
  OpenApiCustomizer exbridgeApiDescription() {
    return api -> {
      api.info(
          new Info()
              .title("exbridge")
              .version("v1")
              .description(
                  "The Feishu/Lark Calendar v4 Exchange binding and calendar APIs (/open-apis,"
                      + " platform access tokens) and exbridge's operator API (/admin/api/v1,"
                      + " the operator token)."));
      api.components(
          (api.getComponents() == null ? new Components() : api.getComponents())
              .addSecuritySchemes(
                  OPERATOR,
                  new SecurityScheme()
                      .type(SecurityScheme.Type.HTTP)
                      .scheme("bearer")
                      .description("data/admin-token or EXBRIDGE_ADMIN_TOKEN"))
              .addSecuritySchemes(
                  PLATFORM,
                  new SecurityScheme()
                      .type(SecurityScheme.Type.HTTP)
                      .scheme("bearer")
                      .description("a tenant, app or user access token")));
      Paths paths = new Paths();
      for (Map.Entry<String, PathItem> e : api.getPaths().entrySet()) {
        String path = e.getKey();
        PathItem item = e.getValue();
        if (path.equals("/open-apis/calendar/v4/exchange_bindings/**")) {
          merge(paths, "/open-apis/calendar/v4/exchange_bindings/{exchange_binding_id}", item);
        } else if (path.equals("/admin/api/v1/bindings/**")) {
          PathItem resync = new PathItem().post(item.getPost());
          item.setPost(null);
          merge(paths, "/admin/api/v1/bindings/{exchange_binding_id}", item);
          merge(paths, "/admin/api/v1/bindings/{exchange_binding_id}/resync", resync);
        } else {
          merge(paths, path, item);
        }
      }
      paths.forEach(
          (path, item) -> {
            // The token endpoints take the app's secret in the body; push endpoints are called by
            // Microsoft Graph and checked by clientState.
            String scheme =
                path.startsWith("/admin/")
                    ? OPERATOR
                    : path.startsWith("/open-apis/") && !path.startsWith("/open-apis/auth/")
                        ? PLATFORM
                        : null;
            if (scheme != null) {
              item.readOperations()
                  .forEach(
                      operation ->
                          operation.addSecurityItem(new SecurityRequirement().addList(scheme)));
            }
          });
      api.setPaths(paths);
    };
  }

  private static void merge(Paths paths, String path, PathItem item) {
    if (path.contains("{exchange_binding_id}")) {
      for (Operation operation : item.readOperations()) {
        operation.addParametersItem(
            new Parameter()
                .in("path")
                .name("exchange_binding_id")
                .required(true)
                .description("the binding's id as the create call returned it (base64)")
                .schema(new io.swagger.v3.oas.models.media.StringSchema()));
      }
    }
    PathItem existing = paths.get(path);
    if (existing == null) {
      paths.addPathItem(path, item);
      return;
    }
    Map<PathItem.HttpMethod, Operation> all = new LinkedHashMap<>(existing.readOperationsMap());
    all.putAll(item.readOperationsMap());
    all.forEach(existing::operation);
  }
}
