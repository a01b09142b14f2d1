package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/**
 * Every page of the admin UI at a laptop's width and at a phone's, with a screenshot of each in
 * {@code target/screenshots}: nothing wider than the window but the tables that scroll on their own, and
 * what each page must show whole.
 */
class PageLayoutIT extends BrowserTest {

    private static final List<String> PAGES = List.of("/admin", "/admin/experts",
            "/admin/skills", "/admin/profiling", "/admin/playground", "/admin/keys");

    static List<Arguments> pagesAndWidths() {
        return PAGES.stream().flatMap(page -> Stream.of(Arguments.of(page, 1280), Arguments.of(page, 420))).toList();
    }

    @AfterEach
    void restoreTheWindow() {
        browser.manage().window().setSize(WINDOW);
    }

    @ParameterizedTest(name = "{0} at {1} px")
    @MethodSource("pagesAndWidths")
    void should_fit_the_window_and_name_its_icon(String page, int width) {
        // given
        browser.manage().window().setSize(new Dimension(width, 900));

        // when
        open(page);
        visible(By.id("main"));
        screenshot("layout" + page.replace('/', '-') + "-" + width);

        // then: the page itself never scrolls sideways (wide tables scroll inside their own box)
        long overflow = ((Number) script("return document.documentElement.scrollWidth - window.innerWidth;")).longValue();
        assertThat(overflow).as("pixels wider than the window").isLessThanOrEqualTo(0);
        // and the icon it names is served (no 404 for a favicon)
        String icon = (String) script("const l = document.querySelector('link[rel=icon]'); return l ? l.href : null;");
        assertThat(icon).as("link rel=icon").isNotNull();
        assertThat(send("GET", icon.substring(baseUrl().length()), null, null, null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "at {0} px")
    @ValueSource(ints = {1280, 420})
    void should_fit_the_expert_form_in_the_window(int width) {
        browser.manage().window().setSize(new Dimension(width, 900));
        open("/admin/experts");

        click(By.id("register-expert"));
        visible(By.cssSelector("#expert-dialog form"));
        screenshot("layout-admin-experts-form-" + width);

        long right = ((Number) script("return Math.ceil(document.getElementById('expert-dialog')"
                + ".getBoundingClientRect().right);")).longValue();
        long window = ((Number) script("return window.innerWidth;")).longValue();
        assertThat(right).as("the dialog's right edge").isLessThanOrEqualTo(window);
    }

    @ParameterizedTest(name = "at {0} px")
    @ValueSource(ints = {1280, 420})
    void should_size_the_heatmap_to_its_table_and_say_why_the_default_aggregator_fuses(int width) {
        browser.manage().window().setSize(new Dimension(width, 900));
        open("/admin/skills");

        long box = ((Number) script("return document.querySelector('.heatmap-scroll').clientWidth;")).longValue();
        long table = ((Number) script("return document.querySelector('table.heatmap').offsetWidth;")).longValue();
        long main = ((Number) script("return document.getElementById('main').clientWidth;")).longValue();

        // then: no empty area beside the table; a narrow window scrolls the table inside its box
        assertThat(box).isLessThanOrEqualTo(Math.max(table, 0) + 2).isLessThanOrEqualTo(main);
        assertThat(visible(By.cssSelector(".ranking .why")).getText()).startsWith("— ");
    }

    @ParameterizedTest(name = "at {0} px")
    @ValueSource(ints = {1280, 420})
    void should_keep_the_cost_sentence_in_one_piece_under_its_figure(int width) {
        browser.manage().window().setSize(new Dimension(width, 900));
        open("/admin");

        String note = visible(By.id("cost-note")).getText().replaceAll("\\s+", " ");

        assertThat(note).matches("spent on experts, as a rate per hour over the last [^,]+, at the prices each expert .*");
        assertThat(browser.findElements(By.cssSelector("#cost-per-hour ~ *"))).hasSize(1);
    }
}
