package org.exbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.exbridge.simulator.Simulator;
import org.exbridge.testing.Database;
import org.exbridge.testing.ExbridgeServer;
import org.exbridge.testing.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real headless Chromium (Debian's chromium and chromium-driver), against
 * a server on H2 and the simulator, as a new operator uses it: sign in, add an admin account and
 * test it, import a CSV of five mailboxes matched by e-mail (one fixed by hand), watch them reach
 * done, resync one, unbind one. Screenshots go to {@code server/target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final String TENANT = "acme";
  private Simulator sim;
  private ExbridgeServer server;
  private Operator operator;
  private WebDriver browser;
  private WebDriverWait wait;
  private Path profile;

  @BeforeAll
  void start() throws Exception {
    String chromium = firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser");
    String driver = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    Assumptions.assumeTrue(
        chromium != null && driver != null,
        "no headless Chromium here: install Debian's chromium and chromium-driver"
            + " (apt-get install chromium chromium-driver; .ci/run does) to run the console tests");
    sim = Simulator.start(0).generate(5, 40, 7);
    Path data = Files.createTempDirectory("exbridge-console");
    server = ExbridgeServer.start(Database.H2.fresh(data), data, null, Map.of());
    operator = new Operator(server.baseUrl());
    operator.tenant(TENANT);
    for (String[] u :
        List.of(
            new String[] {"alice", "alice@acme.test"},
            new String[] {"bob", "bob@acme.test"},
            new String[] {"carol", "carol@acme.test"},
            new String[] {"dave", "dave@acme.test"},
            new String[] {"erin", "erin.smith@acme.test"})) {
      operator.userWithEmail(TENANT, u[0], u[1]);
    }
    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driver))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    // The bindings table is drawn again every few seconds: an element found just before may be
    // gone.
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.ignoring(StaleElementReferenceException.class);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  @Order(1)
  void aWrongTokenIsRefusedAndTheRightOneSignsIn() throws Exception {
    browser.get(server.baseUrl() + "/admin/");
    type(By.id("token"), "not-the-token");
    browser.findElement(By.id("sign-in")).click();
    wait.until(
        ExpectedConditions.textToBe(By.cssSelector("#message .note"), "That token was refused."));
    assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();

    type(By.id("token"), ExbridgeServer.ADMIN_TOKEN);
    browser.findElement(By.id("sign-in")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav")));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("bindings-table")));
    assertThat(new Select(browser.findElement(By.id("tenant"))).getFirstSelectedOption().getText())
        .contains(TENANT);
    shot("1-signed-in");
  }

  @Test
  @Order(2)
  void anAdminAccountIsAddedAndTested() throws Exception {
    browser.findElement(By.id("nav-accounts")).click();
    type(By.id("acct-id"), "ews@exchange.test");
    new Select(browser.findElement(By.id("acct-protocol"))).selectByValue("ews");
    // The bare server address: the server completes the EWS path.
    type(By.id("acct-ews-url"), sim.baseUrl());
    new Select(browser.findElement(By.id("acct-auth"))).selectByValue("basic");
    type(By.id("acct-username"), "admin@exchange.test");
    type(By.id("acct-password"), "secret");
    browser.findElement(By.id("acct-save")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("accounts-table"), "ews@exchange.test"));
    assertThat(browser.findElement(By.id("accounts-table")).getText())
        .contains(sim.baseUrl() + "/EWS/Exchange.asmx")
        .contains("unverified")
        .doesNotContain("secret");

    type(By.id("acct-test-mailbox"), "user1@exchange.test");
    click("accounts-table", "ews@exchange.test", "Test");
    WebElement ok =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("acct-test-ok")));
    assertThat(ok.getText()).contains("ews@exchange.test works").contains("calendar(s)");
    wait.until(driver -> row("accounts-table", "ews@exchange.test").getText().contains("ok"));
    shot("2-admin-account-tested");
  }

  @Test
  @Order(3)
  void aCsvOfFiveMailboxesIsMatchedFixedStartedAndReachesDone() throws Exception {
    browser.findElement(By.id("nav-import")).click();
    Path csv = Files.createTempFile("mailboxes", ".csv");
    Files.writeString(
        csv,
        "exchange_account,email\n"
            + "user1@exchange.test,alice@acme.test\n"
            + "user2@exchange.test,bob@acme.test\n"
            + "user3@exchange.test,carol@acme.test\n"
            + "user4@exchange.test,dave@acme.test\n"
            + "user5@exchange.test,erin@acme.test\n");
    new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("imp-admin"))))
        .selectByValue("ews@exchange.test");
    browser.findElement(By.id("imp-file")).sendKeys(csv.toAbsolutePath().toString());
    browser.findElement(By.id("imp-upload")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("imp-rows")));
    assertThat(count("matched")).isEqualTo(4);
    WebElement user5 = row("imp-rows", "user5@exchange.test");
    assertThat(user5.getText()).contains("no active user has the e-mail erin@acme.test");
    shot("3-import-matched");

    // The operator fixes the row erin's different address left unmatched.
    WebElement input = user5.findElement(By.cssSelector("input[aria-label='user id for row 5']"));
    input.sendKeys("erin");
    input.sendKeys(org.openqa.selenium.Keys.TAB);
    wait.until(driver -> count("matched") == 5);

    browser.findElement(By.id("imp-start")).click();
    wait.withTimeout(Duration.ofSeconds(90)).until(driver -> count("done") == 5);
    for (String mailbox : List.of("user1", "user2", "user3", "user4", "user5")) {
      assertThat(row("imp-rows", mailbox + "@exchange.test").getText()).contains("done");
    }
    shot("4-import-done");
    assertThat(
            operator
                .adminGet("/admin/api/v1/bindings?tenant_key=" + TENANT + "&status=done")
                .path("bindings")
                .size())
        .isEqualTo(5);
  }

  @Test
  @Order(4)
  void bindingsShowProgressAndAreResyncedAndUnbound() throws Exception {
    browser.findElement(By.id("nav-bindings")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("bindings-table"), "user5@exchange.test"));
    wait.until(
        driver -> {
          String text = row("bindings-table", "user1@exchange.test").getText();
          return text.contains("done") && text.contains("100%");
        });
    shot("5-bindings");

    click("bindings-table", "user1@exchange.test", "Resync");
    wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("#message .note"), "Resync of user1@exchange.test started."));

    click("bindings-table", "user2@exchange.test", "Unbind");
    browser.switchTo().alert().accept();
    wait.until(
        ExpectedConditions.textToBe(
            By.cssSelector("#message .note"), "user2@exchange.test unbound."));
    wait.until(
        driver ->
            !driver.findElement(By.id("bindings-table")).getText().contains("user2@exchange.test"));
    assertThat(
            operator
                .adminGet("/admin/api/v1/bindings?tenant_key=" + TENANT)
                .path("bindings")
                .size())
        .isEqualTo(4);
    shot("6-after-unbind");
  }

  private int count(String key) {
    List<WebElement> found =
        browser.findElements(By.cssSelector("#imp-counts [data-count='" + key + "'] b"));
    return found.isEmpty() ? 0 : Integer.parseInt(found.getFirst().getText().trim());
  }

  private WebElement row(String table, String account) {
    return wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#" + table + " tr[data-key='" + account + "']")));
  }

  /** Clicks a row's button, finding both again if the table was drawn anew meanwhile. */
  private void click(String table, String account, String button) {
    wait.until(
        driver -> {
          row(table, account).findElement(By.xpath(".//button[.='" + button + "']")).click();
          return true;
        });
  }

  private void type(By field, String text) {
    WebElement element = wait.until(ExpectedConditions.elementToBeClickable(field));
    element.clear();
    element.sendKeys(text);
  }

  private void shot(String name) throws Exception {
    Path file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String firstExisting(String... paths) {
    for (String p : paths) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }
}
