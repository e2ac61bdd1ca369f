package org.exbridge.admin;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.exbridge.binding.BindingImports;
import org.exbridge.directory.Tenants;
import org.exbridge.openapi.EdgeErrors;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk import of bindings: upload a CSV of Exchange accounts, see each matched to a user, fix or
 * drop rows, start, watch.
 */
@RestController
@RequestMapping(
    path = "/admin/api/v1/tenants/{tenantKey}/binding_imports",
    produces = MediaType.APPLICATION_JSON_VALUE)
final class BindingImportsAdminController {
  private final BindingImports imports;
  private final Tenants tenants;

  BindingImportsAdminController(BindingImports imports, Tenants tenants) {
    this.imports = imports;
    this.tenants = tenants;
  }

  record ImportList(List<BindingImports.Import> imports) {}

  /** The operator's correction of a row: {@code user_id} (empty: none) and/or {@code dropped}. */
  record RowBody(String userId, Boolean dropped) {}

  /** Reads a {@code text/csv} body (UTF-8) and matches its rows; nothing is bound yet. */
  @PostMapping(consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
  @ResponseStatus(HttpStatus.CREATED)
  BindingImports.Import create(
      @PathVariable String tenantKey,
      @RequestParam(name = "admin_account", required = false) String adminAccount,
      HttpServletRequest request)
      throws IOException {
    tenant(tenantKey);
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (var reader = new InputStreamReader(request.getInputStream(), decoder)) {
      return imports.create(tenantKey, adminAccount, reader);
    } catch (java.io.UncheckedIOException e) {
      if (e.getCause() instanceof CharacterCodingException) {
        throw Problems.badRequest("the file is not UTF-8 text; save the CSV as UTF-8");
      }
      throw e.getCause();
    }
  }

  @GetMapping
  ImportList list(@PathVariable String tenantKey) {
    tenant(tenantKey);
    return new ImportList(imports.list(tenantKey, 50));
  }

  @GetMapping("/{importId}")
  BindingImports.Import get(@PathVariable String tenantKey, @PathVariable String importId) {
    tenant(tenantKey);
    return imports
        .find(tenantKey, importId)
        .orElseThrow(() -> Problems.notFound("no import " + importId + " in tenant " + tenantKey));
  }

  @PatchMapping(path = "/{importId}/rows/{row}", consumes = MediaType.APPLICATION_JSON_VALUE)
  BindingImports.Import editRow(
      @PathVariable String tenantKey,
      @PathVariable String importId,
      @PathVariable int row,
      @RequestBody RowBody body) {
    tenant(tenantKey);
    if (body.userId() == null && body.dropped() == null) {
      throw Problems.badRequest("give user_id (empty for none) or dropped");
    }
    if (body.userId() != null && body.userId().length() > 200) {
      throw Problems.badRequest("user_id must be at most 200 characters");
    }
    return imports.editRow(
        tenantKey, importId, row, Optional.ofNullable(body.userId()), body.dropped());
  }

  /** Binds every matched row in the background; repeating it binds what is left. */
  @PostMapping("/{importId}/start")
  @ResponseStatus(HttpStatus.ACCEPTED)
  BindingImports.Import start(@PathVariable String tenantKey, @PathVariable String importId) {
    tenant(tenantKey);
    return imports.start(tenantKey, importId);
  }

  @ExceptionHandler(BindingImports.ImportRefused.class)
  ResponseEntity<Object> refused(BindingImports.ImportRefused e, HttpServletRequest request) {
    int status = e.notFound() ? 404 : 400;
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(EdgeErrors.problem(status, e.getMessage(), request));
  }

  private void tenant(String tenantKey) {
    tenants
        .find(tenantKey)
        .orElseThrow(() -> Problems.notFound("tenant " + tenantKey + " does not exist"));
  }
}
