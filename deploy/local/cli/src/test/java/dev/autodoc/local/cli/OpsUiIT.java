package dev.autodoc.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autodoc.local.stack.LocalStack;
import dev.autodoc.local.testing.GitFixture;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ops UI as an operator meets it, in Debian's Chromium driven headless through Selenium: log
 * in, watch a running job's timeline advance without reloading, open a failed scope's error, read a
 * page whose Mermaid diagram is drawn as SVG, search, and be refused with a reader's key where a
 * submitter's is needed. Screenshots go to {@code target/screenshots}.
 */
class OpsUiIT {
  private static final String READER_KEY = "adk_reader_" + Long.toHexString(System.nanoTime());
  private static final Path SHOTS = CliTesting.BUILD.resolve("screenshots");

  @Test
  void anOperatorFollowsAJobReadsItsDocumentationAndAReaderMayNotSubmit() throws Exception {
    Path project = Path.of(System.getProperty("autodoc.project.dir")).toAbsolutePath();
    install(project);
    Files.createDirectories(SHOTS);
    Path dataDir = CliTesting.newDataDir("ops-ui");
    Map<String, String> orchestrator =
        Map.of(
            "autodoc.orchestrator.api-keys.viewer.key",
            READER_KEY,
            "autodoc.orchestrator.api-keys.viewer.roles",
            "reader");
    // Each step waits and scopes run one at a time, so the job runs long enough to be watched.
    Map<String, String> worker =
        Map.of(
            "autodoc.worker.fault-injection-step-delay", "1s",
            "autodoc.worker.scopes-in-flight", "1");
    try (GitFixture repo = shapes();
        LocalDeployment deployment =
            LocalDeployment.start(
                project,
                dataDir,
                new LocalDeployment.ServiceOptions(1, worker, orchestrator),
                m -> {})) {
      String ui = deployment.apiUrl().replace("127.0.0.1", "localhost") + "/ui/";
      var api = new ApiClient(deployment.apiUrl(), deployment.apiKey());
      WebDriver browser = browser();
      try {
        // The job page is redrawn on every event: an element found may be replaced at once.
        var wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
        long started = System.nanoTime();
        browser.get(ui);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
        System.out.printf(
            "ops UI: login page loaded in %d ms (first load, cold)%n",
            (System.nanoTime() - started) / 1_000_000);
        // Submitted once the browser is up: its cold start must not eat the job's time on screen.
        String id = api.submit(Map.of("repository", repo.url())).body().path("id").asText();
        login(browser, wait, deployment.apiKey());
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tr[data-job='" + id + "']")));
        shot(browser, "jobs");
        // The session outlives a reload: the cookie, not the page, holds the login.
        browser.navigate().refresh();
        wait.until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#jobs tr[data-job='" + id + "']")));
        assertThat(browser.findElements(By.id("key"))).isEmpty();
        System.out.printf(
            "ops UI: jobs page loaded again in %s ms (warm, navigation timing)%n",
            js(browser)
                .executeScript(
                    "const n = performance.getEntriesByType('navigation')[0];"
                        + " return Math.round(n.loadEventEnd - n.startTime);"));

        // The running job's timeline grows through the event stream, with no reload.
        browser.get(ui + "#/jobs/" + id);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("gantt")));
        js(browser).executeScript("window.stillTheSamePage = true;");
        int bars = bars(browser);
        assertThat(text(browser, "job-status")).isIn("QUEUED", "PLANNING", "RUNNING");
        try {
          wait.until(b -> bars(b) > bars + 2);
          wait.until(b -> b.findElement(By.id("job-status")).getText().equals("FAILED"));
        } catch (org.openqa.selenium.TimeoutException e) {
          CliTesting.explain(
              deployment,
              api,
              id,
              "ops UI: " + bars(browser) + " bars, from " + bars + " at first");
          throw e;
        }
        assertThat(js(browser).executeScript("return window.stillTheSamePage === true;"))
            .isEqualTo(true);
        assertThat(bars(browser)).isGreaterThan(bars + 2);
        shot(browser, "job");

        // The failed scope's error, with its reason.
        wait.until(
                ExpectedConditions.elementToBeClickable(
                    By.cssSelector("g.scope-row[data-scope='crowded'] text")))
            .click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("scope-error")));
        assertThat(text(browser, "scope-error")).contains("LIMIT_EXCEEDED");

        // A page with a Mermaid diagram, drawn as SVG.
        JsonNode job = api.job(id).body();
        String repositoryId = job.path("repository").path("id").asText();
        String diagramPage = pageWithDiagram(api, repositoryId);
        browser.get(ui + "#/repos/" + repositoryId + "/page/" + diagramPage);
        WebElement svg =
            wait.until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#page .mermaid svg")));
        assertThat(svg.getAttribute("innerHTML")).contains("Circle").contains("Shape");
        // Its links lead somewhere from here: another page opens in the UI; a source file of a
        // repository with no web host to show it stays as its name, never a broken link.
        assertThat(browser.findElements(By.cssSelector("#page a[href^='#/repos/']"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#page a[href^='../']"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#page code.source"))).isNotEmpty();
        js(browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", svg);
        shot(browser, "page");

        // Search finds the type's page, once the index has caught up with the job; the job page and
        // the repository page say so, counting what the API counts.
        CliTesting.awaitIndexed(api, repositoryId);
        int indexed = api.job(id).body().path("index").path("pages").asInt();
        assertThat(indexed).isPositive();
        browser.get(ui + "#/jobs/" + id);
        wait.until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("index"), "all " + indexed + " pages searchable"));
        browser.get(ui + "#/repos/" + repositoryId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("index-lag"), "all "));
        assertThat(browser.findElements(By.cssSelector("#pages a.unindexed"))).isEmpty();
        browser.findElement(By.id("search")).sendKeys("Circle");
        browser.findElement(By.id("search-go")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#results li a")));
        assertThat(browser.findElement(By.id("results")).getText()).contains(".md");

        // A reader's key: no cancel, no submit.
        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key")));
        login(browser, wait, READER_KEY);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "reader"));
        assertThat(browser.findElement(By.id("nav-submit")).isDisplayed()).isFalse();
        browser.get(ui + "#/submit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("submit-repository")))
            .sendKeys(repo.url());
        browser.findElement(By.id("submit-go")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(text(browser, "error")).contains("refused").contains("reader");
        assertThat(api.jobsOf(repositoryId, 10).body().path("items")).hasSize(1);
        shot(browser, "refused");
      } catch (AssertionError | RuntimeException e) {
        // What the browser showed when it went wrong.
        shot(browser, "failure");
        Files.writeString(SHOTS.resolve("ops-ui-failure.html"), browser.getPageSource());
        throw e;
      } finally {
        browser.quit();
      }
    } finally {
      LocalStack.deleteRecursively(dataDir);
    }
  }

  private static void install(Path project) throws Exception {
    Process p =
        new ProcessBuilder(project.resolve("deploy/local/cli/install-browser.sh").toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor()).as("install-browser.sh").isZero();
  }

  private static WebDriver browser() {
    var options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static void login(WebDriver browser, WebDriverWait wait, String key) {
    WebElement field = browser.findElement(By.id("key"));
    field.clear();
    field.sendKeys(key);
    browser.findElement(By.id("login")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("jobs")));
  }

  private static int bars(WebDriver browser) {
    return browser.findElements(By.cssSelector("#gantt rect.bar")).size();
  }

  /** The element's text, read again when a redraw replaced the element meanwhile. */
  private static String text(WebDriver browser, String id) {
    for (int attempt = 1; ; attempt++) {
      try {
        return browser.findElement(By.id(id)).getText();
      } catch (StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static JavascriptExecutor js(WebDriver browser) {
    return (JavascriptExecutor) browser;
  }

  private static void shot(WebDriver browser, String name) throws Exception {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve("ops-ui-" + name + ".png"), png);
  }

  /** A page of the repository whose Markdown holds a Mermaid diagram. */
  private static String pageWithDiagram(ApiClient api, String repositoryId) throws Exception {
    for (JsonNode page : api.pages(repositoryId).body()) {
      String path = page.path("path").asText();
      String markdown = api.pageMarkdown(repositoryId, path);
      if (markdown.contains("```mermaid") && markdown.contains("Circle")) {
        return path;
      }
    }
    throw new AssertionError("no page of " + repositoryId + " has a Mermaid diagram");
  }

  /** A Java scope with a small type hierarchy (a class diagram), and one with too many files. */
  private static GitFixture shapes() {
    GitFixture repo = CliTesting.repository("shapes");
    repo.write(".autodoc.yaml", "name: shapes\n")
        .write(
            "src/shapes/Shape.java",
            "package shapes;\n/** A shape. */\npublic abstract class Shape {\n  /** Its area. */\n  public abstract double area();\n}\n")
        .write(
            "src/shapes/Circle.java",
            "package shapes;\n/** A circle. */\npublic class Circle extends Shape {\n  private final double r;\n  /** A circle of radius r. */\n  public Circle(double r) { this.r = r; }\n  @Override public double area() { return Math.PI * r * r; }\n}\n")
        .write(
            "src/shapes/Square.java",
            "package shapes;\n/** A square. */\npublic class Square extends Shape {\n  private final double side;\n  /** A square. */\n  public Square(double side) { this.side = side; }\n  @Override public double area() { return side * side; }\n}\n")
        .write("api/.autodoc.yaml", "name: api\n")
        .write(
            "api/handler.py",
            "def handle(request):\n    \"\"\"Handles a request.\"\"\"\n    return request\n")
        .write("crowded/.autodoc.yaml", "name: crowded\nlimits:\n  max_files: 1\n")
        .write("crowded/a.py", "def a():\n    return 1\n")
        .write("crowded/b.py", "def b():\n    return 2\n")
        .commit("shapes");
    return repo;
  }
}
