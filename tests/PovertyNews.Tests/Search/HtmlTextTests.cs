using PovertyNews.Web.Search;
using PovertyNews.Web.Text;

namespace PovertyNews.Tests.Search;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("扶<strong>贫</strong>", "扶贫")]
    [InlineData("<p>十八洞<em>村</em>培育<a href=\"/t/x\">六大</a>产业</p>", "十八洞村培育六大产业")]
    [InlineData("<p><code>x</code><span class=\"a\">y</span></p>", "xy")]
    [InlineData("纯文本", "纯文本")]
    [InlineData("  <p>  扶贫  </p>  ", "扶贫")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void ToText_InlineElements_Vanish(string? html, string expected) =>
        Assert.Equal(expected, HtmlText.ToText(html));

    [Theory]
    [InlineData("<p>扶贫</p><p>协作</p>", "扶贫\n\n协作")]
    [InlineData("扶贫<br>协作", "扶贫\n协作")]
    [InlineData("扶贫<br/>协作", "扶贫\n协作")]
    [InlineData("扶贫<BR />协作", "扶贫\n协作")]
    [InlineData("<ul><li>扶贫</li><li>协作</li></ul>", "扶贫\n\n协作")]
    [InlineData("<h2>标题</h2><p>正文</p>", "标题\n\n正文")]
    [InlineData("<table><tr><td>扶贫</td><td>协作</td></tr></table>", "扶贫\n\n协作")]
    [InlineData("<blockquote>扶贫</blockquote>协作", "扶贫\n协作")]
    [InlineData("扶贫<img src=\"/a.png\" alt=\"图\">协作", "扶贫\n协作")]
    [InlineData("扶贫<hr>协作", "扶贫\n协作")]
    [InlineData("<figure><img src=\"x\"><figcaption>说明</figcaption></figure>正文", "说明\n\n正文")]
    public void ToText_BlockElements_BecomeLineBreaks(string html, string expected) =>
        Assert.Equal(expected, HtmlText.ToText(html));

    [Theory]
    [InlineData("<p>精准扶贫</p><p>协作</p>", "贫协")]
    [InlineData("<li>扶贫</li><li>湘西</li>", "贫湘")]
    [InlineData("扶贫<br>湘西", "贫湘")]
    [InlineData("<td>扶贫</td><td>湘西</td>", "贫湘")]
    public void ToText_Paragraphs_DoNotJoinIntoOneBigram(string html, string bigram)
    {
        var tokens = ChineseTextTests.Tokens(ChineseText.IndexTokens(HtmlText.ToText(html)));

        Assert.DoesNotContain(bigram, tokens);
    }

    [Fact]
    public void ToText_InlineMarkup_KeepsTheBigram()
    {
        var tokens = ChineseTextTests.Tokens(ChineseText.IndexTokens(HtmlText.ToText("<p>扶<strong>贫</strong>协<em>作</em></p>")));

        Assert.Equal(["扶贫", "贫协", "协作", "作"], tokens);
    }

    [Theory]
    [InlineData("&lt;script&gt;", "<script>")]
    [InlineData("A &amp; B", "A & B")]
    [InlineData("&amp;lt;", "&lt;")]
    [InlineData("&quot;扶贫&quot;", "\"扶贫\"")]
    [InlineData("&#25206;&#x8D2B;", "扶贫")]
    [InlineData("扶贫&nbsp;协作", "扶贫\u00A0协作")]
    [InlineData("<p>&lt;p&gt;扶贫&lt;/p&gt;</p>", "<p>扶贫</p>")]
    [InlineData("<img alt=\"a &gt; b\" src=\"x\">", "")]
    public void ToText_Entities_AreDecodedAfterTagsAreRemoved(string html, string expected) =>
        Assert.Equal(expected, HtmlText.ToText(html));

    [Theory]
    [InlineData("<!-- 注释 -->扶贫", "扶贫")]
    [InlineData("扶贫 <", "扶贫")]
    [InlineData("扶贫<p", "扶贫")]
    [InlineData("<>扶贫", "扶贫")]
    [InlineData("</>扶贫", "扶贫")]
    [InlineData("<pre>a\nb</pre>", "a\nb")]
    public void ToText_OddMarkup_DoesNotThrow(string html, string expected) =>
        Assert.Equal(expected, HtmlText.ToText(html));
}
