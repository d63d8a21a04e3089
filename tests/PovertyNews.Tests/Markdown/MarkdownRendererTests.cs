using System.Diagnostics;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using PovertyNews.Web.Markdown;
using Xunit.Abstractions;

namespace PovertyNews.Tests.Markdown;

public sealed class MarkdownRendererTests(ITestOutputHelper output)
{
    // One instance for the whole class, as in the application (singleton).
    private static readonly MarkdownRenderer Renderer = new();

    private static readonly HashSet<string> AllowedAttributes =
    [
        "href", "src", "alt", "title", "id", "class", "colspan", "rowspan", "start", "align",
        "type", "checked", "disabled", "rel", "loading",
    ];

    private static readonly HashSet<string> ForbiddenElements =
    [
        "script", "style", "svg", "math", "iframe", "frame", "frameset", "object", "embed", "applet",
        "form", "button", "select", "textarea", "option", "link", "meta", "base", "template", "noscript", "h1",
    ];

    // ---------------------------------------------------------------- XSS

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JaVaScRiPt:alert(1))")]
    [InlineData("[x](java&#x09;script:alert(1))")]
    [InlineData("[x](java&#9;script:alert(1))")]
    [InlineData("[x]( javascript:alert(1) )")]
    [InlineData("[x](<javascript:alert(1)>)")]
    [InlineData("[x](&#106;avascript:alert(1))")]
    [InlineData("[x](javascript&#58;alert(1))")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("<JAVASCRIPT:alert(1)>")]
    [InlineData("[a]: javascript:alert(1)\n\n[a]")]
    [InlineData("[a]: javascript:alert(1)\n\n![a]")]
    [InlineData("[x][a]\n\n[a]: <javascript:alert(1)> \"t\"")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[x](vbscript:msgbox)")]
    [InlineData("[x](file:///etc/passwd)")]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("<a href=\"x\" onclick=\"y\">x</a>")]
    [InlineData("<form action=\"/x\"><button>发送</button><input name=\"q\"></form>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<object data=\"x.swf\"></object><embed src=\"x.swf\">")]
    [InlineData("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>")]
    [InlineData("<p style=\"background:url(javascript:alert(1))\">x</p>")]
    [InlineData("<style>body{display:none}</style>")]
    [InlineData("# h {onclick=\"alert(1)\"}")]
    [InlineData("# h {#id .cls style=\"color:red\" onmouseover=alert(1)}")]
    [InlineData("[x](http://a){onclick=alert(1)}")]
    [InlineData("[x](http://a){style=\"position:fixed;top:0\"}")]
    [InlineData("```js {onclick=alert(1)}\ncode\n```")]
    [InlineData("```\"><script>alert(1)</script>\ncode\n```")]
    [InlineData("::: danger\" onclick=\"alert(1)\nx\n:::")]
    [InlineData("![x](https://example.com/a.png \"t\\\" onerror=\\\"alert(1)\")")]
    [InlineData("[x](https://example.com/\" onclick=\"alert(1))")]
    [InlineData("*[HTML]: <img src=x onerror=alert(1)>\n\nHTML")]
    [InlineData("text[^1]\n\n[^1]: <script>alert(1)</script>")]
    [InlineData("- [x] <input type=\"text\" onfocus=\"alert(1)\" autofocus>")]
    [InlineData("!![x](javascript:alert(1))\n^^ <script>alert(1)</script>")]
    [InlineData("http://example.com/\"onmouseover=\"alert(1)")]
    [InlineData("www.example.com/<script>alert(1)</script>")]
    public void XssPayload_LeavesNoScriptableMarkup(string markdown)
    {
        var html = Renderer.Render(markdown);

        AssertSafe(html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    public void RawHtml_IsShownAsEscapedText(string markdown)
    {
        var html = Renderer.Render(markdown);

        Assert.Contains("&lt;", html);
        var text = ParseBody(html).TextContent;
        Assert.Contains(markdown.Split(' ')[0], text);
    }

    [Fact]
    public void EntityEncodedScript_StaysText()
    {
        var body = ParseBody(Renderer.Render("&lt;script&gt;alert(1)&lt;/script&gt;"));

        Assert.Empty(body.QuerySelectorAll("script"));
        Assert.Equal("<script>alert(1)</script>", body.TextContent.Trim());
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[a]: javascript:alert(1)\n\n[a]")]
    [InlineData("[x](vbscript:msgbox)")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD4=)")]
    public void DangerousLink_LosesHrefButKeepsText(string markdown)
    {
        var body = ParseBody(Renderer.Render(markdown));

        Assert.All(body.QuerySelectorAll("a"), a => Assert.False(a.HasAttribute("href")));
        Assert.False(string.IsNullOrWhiteSpace(body.TextContent));
    }

    [Fact]
    public void GenericAttributes_AreNotParsed()
    {
        var body = ParseBody(Renderer.Render("# 标题 {onclick=\"alert(1)\" .evil}"));

        var heading = Assert.Single(body.QuerySelectorAll("h2"));
        Assert.Null(heading.GetAttribute("onclick"));
        Assert.DoesNotContain("evil", heading.ClassName ?? string.Empty);
        Assert.Contains("{onclick=\"alert(1)\" .evil}", heading.TextContent);
    }

    [Theory]
    [InlineData("<a href=\"javascript:alert(1)\" onclick=\"x()\" style=\"color:red\" name=\"n\">x</a>")]
    [InlineData("<img src=x onerror=alert(1) style=\"width:1px\">")]
    [InlineData("<svg onload=alert(1)><a xlink:href=\"javascript:alert(1)\">x</a></svg>")]
    [InlineData("<form><button formaction=\"javascript:alert(1)\">x</button><input name=q></form>")]
    [InlineData("<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>")]
    [InlineData("<object data=\"javascript:alert(1)\"></object><embed src=\"javascript:alert(1)\">")]
    [InlineData("<div data-x=\"1\" onmouseover=\"alert(1)\" name=\"getElementById\">x</div>")]
    [InlineData("<input type=\"text\" autofocus onfocus=\"alert(1)\">")]
    [InlineData("<input type=\"image\" src=\"javascript:alert(1)\">")]
    [InlineData("<a href=\"&#106;avascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"java\tscript:alert(1)\">x</a>")]
    [InlineData("<p><style>*{}</style><link rel=stylesheet href=x><meta http-equiv=refresh content=\"0;url=javascript:alert(1)\"></p>")]
    public void Sanitizer_RawHtmlPayload_IsNeutralised(string html)
    {
        // Markdig never emits these (raw HTML is off); the sanitizer is the second line of defence.
        AssertSafe(Renderer.SanitizeHtml(html));
    }

    [Fact]
    public void Sanitizer_TaskCheckbox_IsKeptDisabled()
    {
        var body = ParseBody(Renderer.SanitizeHtml("<ul><li><input type=\"checkbox\" checked> done</li></ul>"));

        var input = Assert.Single(body.QuerySelectorAll("input"));
        Assert.Equal("checkbox", input.GetAttribute("type"));
        Assert.True(input.HasAttribute("disabled"));
    }

    [Fact]
    public void Sanitizer_RemovedInput_DoesNotDisturbItsSiblings()
    {
        var body = ParseBody(Renderer.SanitizeHtml("<p><input type=\"text\"><img src=\"/a.png\"><a href=\"https://example.com\">x</a></p>"));

        Assert.Empty(body.QuerySelectorAll("input"));
        Assert.Equal("lazy", body.QuerySelector("img")!.GetAttribute("loading"));
        Assert.Equal("nofollow noopener noreferrer", body.QuerySelector("a")!.GetAttribute("rel"));
    }

    [Theory]
    [InlineData("<p class=\"notice article__withdrawn\">本文已撤稿</p>")]
    [InlineData("<div class=\"visually-hidden\">审稿人看不见</div>")]
    [InlineData("<span class=\"article__withdrawn footnotes\">x</span>")]
    [InlineData("<code class=\"language-c notice\">x</code>")]
    public void Sanitizer_ClassesOfTheSite_AreRemoved(string html)
    {
        var body = ParseBody(Renderer.SanitizeHtml(html));

        var element = body.Children.Single().LocalName == "p" || body.Children.Single().LocalName == "div" ? body.Children.Single() : body.QuerySelector("span, code")!;
        Assert.DoesNotContain("notice", element.ClassList);
        Assert.DoesNotContain("article__withdrawn", element.ClassList);
        Assert.DoesNotContain("visually-hidden", element.ClassList);
    }

    [Fact]
    public void CustomContainer_AuthorsClass_IsRemovedButTextKept()
    {
        var body = ParseBody(Renderer.Render("::: notice article__withdrawn\n本文已撤稿\n:::\n\n文字 ::隐藏::{.visually-hidden}"));

        Assert.Empty(body.QuerySelectorAll("[class]"));
        Assert.Contains("本文已撤稿", body.TextContent);
    }

    [Fact]
    public void RenderersOwnClasses_Survive()
    {
        var html = Renderer.Render("""
            ```csharp
            var x = 1;
            ```

            - [x] 已完成
            - [ ] 未完成

            正文[^1]。

            | a | b |
            |---|---|
            | 1 | 2 |

            [^1]: 脚注。
            """);
        var body = ParseBody(html);

        Assert.Equal("language-csharp", body.QuerySelector("pre code")!.ClassName);
        Assert.NotNull(body.QuerySelector("ul.contains-task-list > li.task-list-item > input[type=checkbox]"));
        Assert.NotNull(body.QuerySelector("div.footnotes"));
        Assert.NotNull(body.QuerySelector("a.footnote-ref"));
        Assert.NotNull(body.QuerySelector("a.footnote-back-ref"));
        Assert.NotNull(body.QuerySelector("div.table-wrap > table"));
    }

    [Fact]
    public void Sanitizer_HeadingOne_IsDroppedButTextKept()
    {
        var body = ParseBody(Renderer.SanitizeHtml("<h1>标题</h1>"));

        Assert.Empty(body.QuerySelectorAll("h1"));
        Assert.Contains("标题", body.TextContent);
    }

    // ---------------------------------------------------------------- Links, images, tables

    [Fact]
    public void HttpsLink_IsKeptWithRel()
    {
        var a = Single(Renderer.Render("见[国家乡村振兴局](https://example.gov.cn/news?id=1&page=2)。"), "a");

        Assert.Equal("https://example.gov.cn/news?id=1&page=2", a.GetAttribute("href"));
        Assert.Equal("nofollow noopener noreferrer", a.GetAttribute("rel"));
        Assert.Equal("国家乡村振兴局", a.TextContent);
    }

    [Fact]
    public void BareUrl_IsAutoLinkedWithRel()
    {
        var a = Single(Renderer.Render("详见 https://example.com/report 。"), "a");

        Assert.Equal("https://example.com/report", a.GetAttribute("href"));
        Assert.Equal("nofollow noopener noreferrer", a.GetAttribute("rel"));
    }

    [Fact]
    public void MailtoLink_IsKept()
    {
        var a = Single(Renderer.Render("来信请寄 [编辑部](mailto:editor@example.cn)"), "a");

        Assert.Equal("mailto:editor@example.cn", a.GetAttribute("href"));
        Assert.Null(a.GetAttribute("rel"));
    }

    [Theory]
    [InlineData("/articles/shibadong")]
    [InlineData("../tags/poverty")]
    [InlineData("#section-2")]
    public void RelativeLink_IsKeptWithoutRel(string href)
    {
        var a = Single(Renderer.Render($"[站内]({href})"), "a");

        Assert.Equal(href, a.GetAttribute("href"));
        Assert.Null(a.GetAttribute("rel"));
    }

    [Fact]
    public void Image_GetsLazyLoading()
    {
        var img = Single(Renderer.Render("![村民在田间劳作](/media/2024/field.jpg \"十八洞村\")"), "img");

        Assert.Equal("/media/2024/field.jpg", img.GetAttribute("src"));
        Assert.Equal("村民在田间劳作", img.GetAttribute("alt"));
        Assert.Equal("十八洞村", img.GetAttribute("title"));
        Assert.Equal("lazy", img.GetAttribute("loading"));
    }

    [Fact]
    public void PipeTable_RendersWrappedWithAlignmentAndNoStyle()
    {
        const string markdown = """
            | 村名 | 人均收入（元） | 脱贫年份 |
            |:-----|-------:|:----:|
            | 十八洞村 | 18,369 | 2017 |
            | 下党村 | 21,000 | 2016 |
            """;

        var body = ParseBody(Renderer.Render(markdown));

        var table = Assert.Single(body.QuerySelectorAll("table"));
        Assert.Equal("div", table.ParentElement!.LocalName);
        Assert.Contains("table-wrap", table.ParentElement.ClassList);
        Assert.Equal(3, table.QuerySelectorAll("thead th").Length);
        Assert.Equal(6, table.QuerySelectorAll("tbody td").Length);
        Assert.Equal("十八洞村", table.QuerySelector("tbody td")!.TextContent);
        Assert.Equal("right", table.QuerySelectorAll("tbody td")[1].GetAttribute("align"));
        Assert.Equal("center", table.QuerySelectorAll("thead th")[2].GetAttribute("align"));
        Assert.Empty(body.QuerySelectorAll("[style]"));
        AssertSafe(body.InnerHtml);
    }

    [Fact]
    public void GridTable_RendersWithoutStyle()
    {
        const string markdown = """
            +---------+---------+
            | 年份    | 贫困人口 |
            +=========+=========+
            | 2012    | 9899万  |
            +---------+---------+
            | 2020    | 0       |
            +---------+---------+
            """;

        var body = ParseBody(Renderer.Render(markdown));

        Assert.Single(body.QuerySelectorAll("div.table-wrap > table"));
        Assert.Contains("9899万", body.TextContent);
        Assert.Empty(body.QuerySelectorAll("[style]"));
    }

    [Fact]
    public void TaskList_RendersDisabledCheckboxes()
    {
        var body = ParseBody(Renderer.Render("- [x] 危房改造\n- [ ] 饮水安全"));

        var inputs = body.QuerySelectorAll("input");
        Assert.Equal(2, inputs.Length);
        Assert.All(inputs, i =>
        {
            Assert.Equal("checkbox", i.GetAttribute("type"));
            Assert.True(i.HasAttribute("disabled"));
        });
        Assert.True(inputs[0].HasAttribute("checked"));
    }

    [Fact]
    public void Footnote_RendersLinkedNote()
    {
        var body = ParseBody(Renderer.Render("精准扶贫[^1]。\n\n[^1]: 2013 年首次提出。"));

        var reference = body.QuerySelector("a.footnote-ref")!;
        var target = reference.GetAttribute("href")!;
        Assert.StartsWith("#", target);
        Assert.NotNull(body.QuerySelector($"[id='{target[1..]}']"));
        Assert.Contains("2013 年首次提出。", body.TextContent);
    }

    [Fact]
    public void ExtraSyntax_RendersAllowedElements()
    {
        const string markdown = """
            ~~旧~~ ++新++ ==重点== H~2~O 2^10^

            *[GDP]: 国内生产总值

            GDP 增长。

            术语
            :   定义

            ::: note
            提示
            :::

            ^^^
            ![图](/a.png)
            ^^^ 图注

            ""《人民日报》""

            a. 第一
            b. 第二
            """;

        var body = ParseBody(Renderer.Render(markdown));

        foreach (var tag in new[] { "del", "ins", "mark", "sub", "sup", "abbr", "dl", "dt", "dd", "figure", "figcaption", "cite" })
        {
            Assert.True(body.QuerySelector(tag) is not null, $"<{tag}> missing");
        }

        Assert.Equal("国内生产总值", body.QuerySelector("abbr")!.GetAttribute("title"));
        // A custom container keeps its element, not the class its author chose (see CustomContainer_AuthorsClass_…).
        Assert.Contains("提示", Assert.Single(body.QuerySelectorAll("div:not([class])"), d => d.TextContent.Trim() == "提示").TextContent);
        Assert.Equal("a", body.QuerySelector("ol")!.GetAttribute("type"));
        AssertSafe(body.InnerHtml);
    }

    // ---------------------------------------------------------------- Chinese text

    [Theory]
    [InlineData("他说**“脱贫”，**她笑了", "“脱贫”，")]
    [InlineData("**十八洞村，**位于湖南省湘西州。", "十八洞村，")]
    [InlineData("这是**“精准扶贫”**战略。", "“精准扶贫”")]
    public void CjkEmphasisNextToPunctuation_RendersStrong(string markdown, string expectedStrong)
    {
        var strong = Single(Renderer.Render(markdown), "strong");

        Assert.Equal(expectedStrong, strong.TextContent);
    }

    [Fact]
    public void ChineseText_IsNotEntityEncoded()
    {
        var html = Renderer.Render("# 扶贫\n\n脱贫攻坚「决战决胜」——全面小康！[链接](/文章 \"标题\")");

        Assert.Contains("扶贫", html);
        Assert.Contains("脱贫攻坚「决战决胜」——全面小康！", html);
        Assert.Contains("title=\"标题\"", html);
        Assert.DoesNotContain("&#", html);
    }

    // ---------------------------------------------------------------- Headings

    [Fact]
    public void HeadingLevels_StartBelowTheTitle_AndNeverSkipALevel()
    {
        var body = ParseBody(Renderer.Render("# 一\n\n## 二\n\n##### 五\n\n###### 六\n\n七\n==="));

        Assert.Empty(body.QuerySelectorAll("h1"));
        Assert.Equal(["h2", "h3", "h4", "h5", "h2"], body.QuerySelectorAll("h2,h3,h4,h5,h6").Select(h => h.LocalName).ToArray());
    }

    [Theory]
    [InlineData("## 实地考察\n\n正文\n\n### 细节\n\n## 会议", new[] { "h2", "h3", "h2" })]
    [InlineData("### 只有三级标题\n\n正文", new[] { "h2" })]
    [InlineData("### 先三级\n\n## 后二级\n\n#### 四级", new[] { "h2", "h2", "h3" })]
    public void BodyWithoutTopLevelHeading_StartsAtH2(string markdown, string[] expected)
    {
        var body = ParseBody(Renderer.Render(markdown));

        Assert.Equal(expected, body.QuerySelectorAll("h1,h2,h3,h4,h5,h6").Select(h => h.LocalName).ToArray());
    }

    [Fact]
    public void Headings_GetUniqueReadableIds()
    {
        var body = ParseBody(Renderer.Render("# 十八洞村\n\n# 十八洞村\n\n# Poverty *Alleviation* 2020\n\n# ！！！"));

        var ids = body.QuerySelectorAll("h2").Select(h => h.Id ?? string.Empty).ToArray();
        Assert.Equal(["十八洞村", "十八洞村-1", "poverty-alleviation-2020", "section"], ids);
    }

    // ---------------------------------------------------------------- Edge input

    [Fact]
    public void NullOrBlank_RendersEmpty()
    {
        Assert.Equal(string.Empty, Renderer.Render(null!));
        Assert.Equal(string.Empty, Renderer.Render("   \n\t\n"));
        Assert.Equal(string.Empty, Renderer.ToPlainText(null!));
    }

    [Fact]
    public void CrLfInput_RendersLikeLf()
    {
        var crlf = Renderer.Render("# 标题\r\n\r\n第一段\r\n续行\r\n\r\n- 甲\r\n- 乙\r\n");
        var lf = Renderer.Render("# 标题\n\n第一段\n续行\n\n- 甲\n- 乙\n");

        Assert.Equal(lf, crlf);
        Assert.DoesNotContain("\r", crlf);
        Assert.Equal(2, ParseBody(crlf).QuerySelectorAll("li").Length);
    }

    [Fact]
    public void ConcurrentCalls_GiveSameResult()
    {
        const string markdown = "# 标题\n\n**十八洞村，**位于[湘西](https://example.com)。\n\n| a | b |\n|---|---|\n| 1 | 2 |";
        var expected = Renderer.Render(markdown);

        var results = new string[64];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results[i] = Renderer.Render(markdown));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Worker_ThatRunsTooLong_IsAbandonedWithChineseMessage()
    {
        var release = new ManualResetEventSlim(); // not disposed: the abandoned worker may still be waiting on it
        var stopwatch = Stopwatch.StartNew();

        var ex = Assert.Throws<MarkdownRejectedException>(() => MarkdownRenderer.RunGuarded(
            () =>
            {
                release.Wait(TimeSpan.FromSeconds(10));
                return "late";
            },
            TimeSpan.FromMilliseconds(100)));

        release.Set();
        Assert.Contains("超时", ex.Message);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Worker_Exception_ReachesTheCaller()
    {
        Assert.Throws<InvalidOperationException>(() => MarkdownRenderer.RunGuarded(() => throw new InvalidOperationException("boom"), TimeSpan.FromSeconds(5)));
    }

    // ---------------------------------------------------------------- Plain text

    [Fact]
    public void PlainText_StripsMarkupAndKeepsLinkText()
    {
        const string markdown = """
            # 十八洞村的**变化**

            2013 年以来，[十八洞村](https://example.com/shibadong)   的人均收入
            增长了 *十倍*。![村貌](/img/a.jpg)

            - 产业扶贫
            - `教育`扶贫

            > 引用 &amp; 注释
            """;

        var text = Renderer.ToPlainText(markdown);

        Assert.Equal("十八洞村的变化 2013 年以来，十八洞村 的人均收入 增长了 十倍。村貌 产业扶贫 教育扶贫 引用 & 注释", text);
    }

    [Fact]
    public void PlainText_OfExtensions_HasNoTagsOrMarkers()
    {
        const string markdown = """
            - [x] 完成

            术语
            :   定义

            ^^^
            ![图](/a.png)
            ^^^ 图注

            *[GDP]: 国内生产总值

            GDP 增长[^1]。

            | 甲 | 乙 |
            |---|---|
            | 1 | 2 |

            ```
            代码 <b>
            ```

            [^1]: 注释
            """;

        Assert.Equal("完成 术语 定义 图 图注 GDP 增长。 甲 乙 1 2 代码 <b> 注释", Renderer.ToPlainText(markdown));
    }

    [Fact]
    public void PlainText_OfRawHtml_IsTheLiteralText()
    {
        Assert.Equal("a <b>c</b>", Renderer.ToPlainText("a <b>c</b>"));
    }

    // ---------------------------------------------------------------- Limits and pathological input

    [Fact]
    public void TooLongBody_IsRejectedInChinese()
    {
        var markdown = new string('字', MarkdownRenderer.MaxLength + 1);

        var ex = Assert.Throws<MarkdownRejectedException>(() => Renderer.Render(markdown));
        Assert.Contains("正文过长", ex.Message);
        Assert.Throws<MarkdownRejectedException>(() => Renderer.ToPlainText(markdown));
    }

    [Theory]
    [InlineData("quotes")]
    [InlineData("quotes-spaced")]
    [InlineData("list-markers")]
    [InlineData("emphasis")]
    [InlineData("images")]
    public void DeepNesting_IsRejectedWithNestingMessage(string name)
    {
        var markdown = Pathological(name);

        var ex = Assert.Throws<MarkdownRejectedException>(() => Renderer.Render(markdown));
        Assert.Contains("嵌套", ex.Message);
    }

    [Fact]
    public void DenseMarkupInOneParagraph_IsRejectedWithSplitAdvice()
    {
        var ex = Assert.Throws<MarkdownRejectedException>(() => Renderer.Render(Pathological("open-links")));

        Assert.Contains("空行", ex.Message);
    }

    [Fact]
    public void TensOfThousandsOfFootnotes_AreRejectedBeforeParsing()
    {
        var stopwatch = Stopwatch.StartNew();
        var ex = Assert.Throws<MarkdownRejectedException>(() => Renderer.Render(Pathological("footnotes")));

        Assert.Contains("脚注", ex.Message);
        output.WriteLine($"footnotes rejected after {stopwatch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void TooManyElements_IsRejected()
    {
        var ex = Assert.Throws<MarkdownRejectedException>(() => Renderer.Render(Pathological("many-headings")));

        // Refused by the element limit, or (on a very busy machine) by the time limit before it: refused either way.
        Assert.Matches("过多|超时", ex.Message);
    }

    [Fact]
    public void ThousandsOfEqualHeadings_GetDistinctIdsQuickly()
    {
        var stopwatch = Stopwatch.StartNew();
        var body = ParseBody(Renderer.Render(Pathological("duplicate-headings-spaced")));
        stopwatch.Stop();

        var ids = body.QuerySelectorAll("h2").Select(h => h.Id).ToList();
        Assert.Equal(25_000, ids.Distinct().Count());
        Assert.Equal("标题-24999", ids[^1]);
        output.WriteLine($"25,000 headings rendered in {stopwatch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("* * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * *")]
    [InlineData("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -")]
    public void LongThematicBreak_IsNotMistakenForNesting(string markdown)
    {
        Assert.Single(ParseBody(Renderer.Render("段落\n\n" + markdown + "\n\n段落")).QuerySelectorAll("hr"));
    }

    [Theory]
    [InlineData(">", 30)]
    [InlineData("> ", 30)]
    [InlineData("- ", 30)]
    [InlineData("1. ", 30)]
    [InlineData("> - ", 15)]
    public void DocumentedNestingLimit_IsAccepted(string marker, int levels)
    {
        var markdown = string.Concat(Enumerable.Repeat(marker, levels)) + "**正文 [链接](/a) *强调* `代码`**";
        var indented = string.Concat(Enumerable.Range(0, levels).Select(i => new string(' ', i * marker.Length) + marker + "条目 **粗** [链](/a)\n"));

        Assert.Contains("正文", Renderer.Render(markdown));
        Assert.Contains("条目", Renderer.Render(indented));
    }

    public static TheoryData<string> PathologicalNames =>
    [
        "quotes", "quotes-spaced", "list-markers", "list-indented", "list-indented-loose", "brackets", "stars",
        "stars-word", "underscores", "backticks", "emphasis", "emphasis-paragraphs", "links", "images", "open-links",
        "open-links-lines", "open-links-short-lines", "autolinks", "autolinks-block", "autolinks-paragraphs",
        "duplicate-headings", "duplicate-headings-spaced", "many-headings", "footnotes", "references",
        "references-spaced", "big-table", "containers", "pipes", "open-titles",
    ];

    [Theory]
    [MemberData(nameof(PathologicalNames))]
    public void PathologicalInput_ReturnsOrRejectsQuickly(string name)
    {
        var markdown = Pathological(name);

        var stopwatch = Stopwatch.StartNew();
        string outcome;
        try
        {
            var html = Renderer.Render(markdown);
            outcome = $"rendered, {html.Length:N0} chars of HTML";
        }
        catch (MarkdownRejectedException ex)
        {
            outcome = "rejected: " + ex.Message;
        }

        stopwatch.Stop();
        // The renderer's own time limit bounds the wait; the figure is printed, not asserted (shared machines are noisy).
        output.WriteLine($"{name}: {markdown.Length:N0} chars, {stopwatch.ElapsedMilliseconds:N0} ms, {outcome}");
    }

    [Fact]
    public void OneMegabyteOfOrdinaryParagraphs_IsAccepted()
    {
        var markdown = OrdinaryBody(MarkdownRenderer.MaxLength);

        var stopwatch = Stopwatch.StartNew();
        var html = Renderer.Render(markdown);
        var rendered = stopwatch.Elapsed;
        var text = Renderer.ToPlainText(markdown);
        var total = stopwatch.Elapsed;

        output.WriteLine($"ordinary body: {markdown.Length:N0} chars, Render {rendered.TotalMilliseconds:N0} ms, ToPlainText {(total - rendered).TotalMilliseconds:N0} ms");
        Assert.Contains("<strong>重点</strong>", html);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html);
        Assert.StartsWith("第 1 部分 第 1 段：十八洞村", text);
    }

    private static string OrdinaryBody(int length)
    {
        var builder = new StringBuilder(length + 1000);
        for (var i = 1; builder.Length < length - 1000; i++)
        {
            if (i % 20 == 1)
            {
                builder.Append("## 第 ").Append(i / 20 + 1).Append(" 部分\n\n");
            }

            builder.Append("第 ").Append(i).Append(" 段：十八洞村位于湖南省湘西土家族苗族自治州花垣县，是“精准扶贫”首倡地。")
                .Append("村里发展了猕猴桃、苗绣和乡村旅游等**重点**产业，详见[报道](https://example.com/news/").Append(i)
                .Append(")。Villagers' income rose from 1,668 yuan in 2013 to over 20,000 yuan, according to *official* data.\n\n");
        }

        return builder.ToString();
    }

    private static string Pathological(string name) => name switch
    {
        "quotes" => new string('>', 10_000) + " 正文",
        "quotes-spaced" => Repeat("> ", 10_000) + "正文",
        "list-markers" => Repeat("- ", 10_000) + "条目",
        // As deep as 1,000,000 characters allow (about 1,000 levels of two-space indentation).
        "list-indented" => Cut(string.Concat(Enumerable.Range(0, 10_000).Select(i => new string(' ', i * 2) + "- 条目\n"))),
        "list-indented-loose" => Cut(string.Concat(Enumerable.Range(0, 10_000).Select(i => new string(' ', i * 2) + "- 条目\n\n"))),
        "brackets" => new string('[', 100_000),
        "stars" => new string('*', 100_000),
        "stars-word" => Repeat("*字", 50_000),
        "underscores" => new string('_', 100_000),
        "backticks" => string.Concat(Enumerable.Range(1, 1_400).Select(i => new string('`', i) + "a")),
        "emphasis" => new string('*', 5_000) + "字" + new string('*', 5_000),
        "links" => Repeat("[", 5_000) + "字" + Repeat("](/a)", 5_000),
        "images" => Repeat("![", 100) + "字" + Repeat("](/a)", 100),
        "open-links" => Repeat("[a](", 250_000),
        "open-links-lines" => Repeat(Repeat("[a](", 250) + "\n\n", 990),
        "open-links-short-lines" => Repeat(Repeat("[a](", 100) + "\n\n", 2_450),
        "autolinks" => Repeat("http://a.cn ", 80_000),
        "autolinks-block" => Repeat(Repeat("http://a.cn ", 20) + "\n", 4_000),
        "autolinks-paragraphs" => Repeat(Repeat("http://a.cn ", 100) + "\n\n", 800),
        "duplicate-headings" => Repeat("# 标题\n", 200_000),
        "duplicate-headings-spaced" => Repeat("# 标题\n\n", 25_000),
        "many-headings" => Repeat("# 标题\n\n", 140_000),
        "footnotes" => Cut(string.Concat(Enumerable.Range(0, 50_000).Select(i => $"文[^{i}]\n\n[^{i}]: 注\n\n"))),
        "references" => Cut(string.Concat(Enumerable.Range(0, 40_000).Select(i => $"[{i}]: /u{i}\n\n")) + string.Concat(Enumerable.Range(0, 40_000).Select(i => $"[{i}] "))),
        "references-spaced" => Cut(string.Concat(Enumerable.Range(0, 40_000).Select(i => $"[{i}]: /u{i}\n\n")) + string.Concat(Enumerable.Range(0, 40_000).Select(i => $"[{i}]\n\n"))),
        "emphasis-paragraphs" => Repeat(Repeat("*a ", 300) + "\n\n", 1_000),
        "big-table" => "| 村 | 户数 |\n|---|---:|\n" + Repeat("| 十八洞村 | 239 |\n", 2_000),
        "containers" => Cut(string.Concat(Enumerable.Range(0, 1_000).Select(i => new string(':', 1_003 - i) + " c\n"))),
        "pipes" => Repeat("a|", 100_000),
        "open-titles" => Repeat("[a](b \"\n", 2_000),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();

    private static string Cut(string s) => s.Length > MarkdownRenderer.MaxLength ? s[..MarkdownRenderer.MaxLength] : s;

    // ---------------------------------------------------------------- Helpers

    private static IElement ParseBody(string html) => new HtmlParser().ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>").Body!;

    private static IElement Single(string html, string selector) => Assert.Single(ParseBody(html).QuerySelectorAll(selector));

    private static void AssertSafe(string html)
    {
        var body = ParseBody(html);
        foreach (var element in body.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, ForbiddenElements);
            if (element.LocalName == "input")
            {
                Assert.Equal("checkbox", element.GetAttribute("type"));
                Assert.True(element.HasAttribute("disabled"), "checkbox not disabled");
            }

            foreach (var attribute in element.Attributes)
            {
                var attributeName = attribute.Name.ToLowerInvariant();
                Assert.False(attributeName.StartsWith("on", StringComparison.Ordinal), $"event handler {attribute.Name} on <{element.LocalName}>");
                Assert.Contains(attributeName, AllowedAttributes);
                if (attributeName is "href" or "src")
                {
                    var url = Normalise(attribute.Value);
                    Assert.False(
                        url.StartsWith("javascript:", StringComparison.Ordinal)
                        || url.StartsWith("vbscript:", StringComparison.Ordinal)
                        || url.StartsWith("data:", StringComparison.Ordinal)
                        || url.StartsWith("file:", StringComparison.Ordinal),
                        $"dangerous {attribute.Name}=\"{attribute.Value}\"");
                    var colon = url.IndexOf(':');
                    if (colon > 0 && url.IndexOfAny(['/', '?', '#']) is var stop && (stop < 0 || colon < stop))
                    {
                        Assert.Contains(url[..colon], new[] { "http", "https", "mailto" });
                    }
                }
            }
        }
    }

    /// <summary>What a browser would see as the URL's scheme: percent-decoded, without whitespace and control characters.</summary>
    private static string Normalise(string url)
    {
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(url);
        }
        catch (UriFormatException)
        {
            decoded = url;
        }

        return new string(decoded.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()).ToLowerInvariant();
    }
}
