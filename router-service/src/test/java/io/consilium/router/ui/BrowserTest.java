package io.consilium.router.ui;

import io.consilium.router.RunningService;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin UI in a real browser: the system's headless Chromium, driven through its chromedriver, one
 * browser per test class against the shared running service. Screenshots of the pages go to
 * {@code target/screenshots} as test artifacts.
 */
abstract class BrowserTest extends RunningService {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Dimension WINDOW = new Dimension(1366, 900);

    /** Selenium looks for a DevTools binding matching the browser at start; these tests use none, so its warning is noise. */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    protected static WebDriver browser;
    private static ChromeDriverService driverService;
    private static boolean signedIn;

    /** A failed test leaves a picture of what the browser showed. */
    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = context -> {
        if (context.getExecutionException().isPresent() && browser != null) {
            screenshot("failed-" + context.getRequiredTestClass().getSimpleName() + "-"
                    + context.getRequiredTestMethod().getName());
        }
    };

    @BeforeAll
    static void startBrowser() {
        SELENIUM_LOG.setLevel(Level.SEVERE);
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver "
                    + "(/usr/bin/chromium, /usr/bin/chromedriver): apt-get install -y chromium chromium-driver");
        }
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--window-size=" + WINDOW.width + "," + WINDOW.height);
        browser = new ChromeDriver(driverService, options);
        signedIn = false;
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        if (driverService != null) {
            driverService.stop();
        }
    }

    /** Every test starts signed in; the session lasts for the class, as for a person using the UI. */
    @BeforeEach
    void signInOnce() {
        if (signedIn) {
            return;
        }
        open("/admin");
        if (browser.getCurrentUrl().contains(io.consilium.router.auth.AdminSessions.SIGN_IN_PAGE)) {
            browser.findElement(By.id("admin-key")).sendKeys(ADMIN_KEY);
            browser.findElement(By.cssSelector("form button[type=submit]")).click();
            waitUntil(ExpectedConditions.urlToBe(baseUrl() + "/admin"));
        }
        signedIn = true;
    }

    /** For a test that signs out: the next test signs in again. */
    protected static void signingOut() {
        signedIn = false;
    }

    protected void open(String path) {
        browser.get(baseUrl() + path);
    }

    protected static <T> T waitUntil(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(50)).until(condition);
    }

    protected static WebElement visible(By locator) {
        return waitUntil(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Clicks what the locator finds, finding it again if htmx swapped it out in the meantime. */
    protected static void click(By locator) {
        waitUntil(driver -> {
            try {
                driver.findElement(locator).click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException | ElementNotInteractableException e) {
                return false;
            }
        });
    }

    protected static List<String> texts(By locator) {
        return browser.findElements(locator).stream().map(WebElement::getText).toList();
    }

    protected static Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    /** Saves what the browser shows, the whole page tall, as {@code target/screenshots/<name>.png}. */
    protected static Path screenshot(String name) {
        long height = ((Number) script("return Math.max(document.documentElement.scrollHeight, "
                + "document.body.scrollHeight);")).longValue();
        // The window's size includes the browser's own frame; the page gets what is left.
        Dimension window = browser.manage().window().getSize();
        long frame = window.height - ((Number) script("return window.innerHeight;")).longValue();
        try {
            browser.manage().window().setSize(new Dimension(window.width,
                    (int) Math.min(Math.max(height + frame, window.height), 4000)));
            File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            // Written anew rather than copied, so it gets ordinary permissions instead of the temporary file's.
            Files.write(target, Files.readAllBytes(shot.toPath()));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            browser.manage().window().setSize(window);
        }
    }
}
