using PovertyNews.Web.Domain;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Pages.Articles;

namespace PovertyNews.Tests.Markdown;

/// <summary>The 图集 form of the Markdown body: reading, writing, the save rules, and the reader page's split of the HTML.</summary>
public sealed class GalleryMarkdownTests
{
    private const string Library = "/media/0123456789abcdef0123456789abcdef-1600x1200.jpg";
    private const string Library2 = "/media/fedcba9876543210fedcba9876543210-1200x800.png";

    private static readonly GalleryItem[] Items =
    [
        new(Library, "十八洞村的梯田", "花垣县十八洞村：全村人均年收入达到14668元。"),
        new(Library2, "矮寨大桥", ""),
        new("/images/samples/kiwi.svg", "猕猴桃 [切开] *两半*", "第一段说明。\n\n第二段说明，含**加粗**和[链接](https://example.com)。"),
    ];

    [Fact]
    public void Write_ThenParse_GivesTheSameIntroAndPicturesInOrder()
    {
        var body = GalleryMarkdown.Write("代表团考察行程。", Items);

        var gallery = GalleryMarkdown.Parse(body);

        Assert.Equal("代表团考察行程。", gallery.Intro);
        Assert.Equal(Items, gallery.Items);
        Assert.Empty(gallery.StrayImages);
    }

    [Fact]
    public void Parse_ThenWrite_GivesTheCanonicalTextBack()
    {
        var body = GalleryMarkdown.Write("", Items);

        Assert.Equal(body, GalleryMarkdown.Write(GalleryMarkdown.Parse(body).Intro, GalleryMarkdown.Parse(body).Items));
        Assert.StartsWith($"![十八洞村的梯田]({Library})\n\n花垣县", body);
        Assert.Contains("![矮寨大桥](" + Library2 + ")\n\n![猕猴桃 \\[切开\\] \\*两半\\*]", body); // no caption: the next picture follows
    }

    [Fact]
    public void Parse_HandWrittenBody_ReadsPicturesCaptionsAndExtraBlocks()
    {
        const string body = "导语第一段。\n\n导语第二段。\n\n\n![甲](/media/a.jpg)\n说明紧跟在图片下一行，不算单独成段。\n\n![乙](/media/b.jpg \"标题\")\n\n## 小标题\n\n- 列表一\n- 列表二\n\n![丙](</media/c d.jpg>)\n";

        var gallery = GalleryMarkdown.Parse(body);

        // 甲 shares its paragraph with text: not a picture, reported as stray and kept, as written, in the introduction.
        Assert.Equal("导语第一段。\n\n导语第二段。\n\n\n![甲](/media/a.jpg)\n说明紧跟在图片下一行，不算单独成段。", gallery.Intro);
        Assert.Equal(["/media/a.jpg"], gallery.StrayImages);
        Assert.Equal(["/media/b.jpg", "/media/c d.jpg"], gallery.Items.Select(i => i.Url));
        Assert.Equal("## 小标题\n\n- 列表一\n- 列表二", gallery.Items[0].Caption);
        Assert.Equal("", gallery.Items[1].Caption);
        Assert.Equal("/media/c%20d.jpg", GalleryMarkdown.EscapeUrl(gallery.Items[1].Url));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("只有文字，没有图片。")]
    public void Parse_NoPicture_GivesNoItems(string body) => Assert.Empty(GalleryMarkdown.Parse(body).Items);

    [Fact]
    public void Parse_ImageInsideAQuoteOrList_IsStray()
    {
        var gallery = GalleryMarkdown.Parse("![图](/media/x.jpg)\n\n> ![引用中的图](/media/y.jpg)\n\n- ![列表中的图](/media/z.jpg)\n");

        Assert.Single(gallery.Items);
        Assert.Equal(["/media/y.jpg", "/media/z.jpg"], gallery.StrayImages);
    }

    [Fact]
    public void Rules_AcceptLibraryAndSamplePicturesWithAlt()
    {
        var input = new ArticleInput { Title = "t", Kind = ArticleKind.Gallery, Body = GalleryMarkdown.Write("导语", Items) };

        Assert.Empty(input.CheckRules());
    }

    [Fact]
    public void Rules_GalleryWithoutPicture_IsRefused()
    {
        var input = new ArticleInput { Title = "t", Kind = ArticleKind.Gallery, Body = "只有文字。" };

        var error = Assert.Single(input.CheckRules());
        Assert.Equal(nameof(ArticleInput.Body), error.Field);
        Assert.Contains("至少要有一张图片", error.Message);
        // The same body is fine for an article.
        Assert.Empty(new ArticleInput { Title = "t", Body = "只有文字。" }.CheckRules());
    }

    [Theory]
    [InlineData("![](/media/0123456789abcdef0123456789abcdef-1600x1200.jpg)", "缺少替代文字")]
    [InlineData("![外站图片](https://example.com/a.jpg)", "须来自本站媒体库")]
    [InlineData("![改名的图片](/media/not-a-library-name.jpg)", "须来自本站媒体库")]
    [InlineData("![跳出样图目录](/images/samples/../../secret.svg)", "须来自本站媒体库")]
    [InlineData("![图](/media/0123456789abcdef0123456789abcdef-1600x1200.jpg)\n\n说明里的 ![图](/media/0123456789abcdef0123456789abcdef-1600x1200.jpg) 不单独成段", "单独成段")]
    public void Rules_RefuseAPictureWithoutAltOrFromOutsideTheLibrary(string body, string message)
    {
        var input = new ArticleInput { Title = "t", Kind = ArticleKind.Gallery, Body = body };

        var error = Assert.Single(input.CheckRules());
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void GalleryView_SplitsTheRenderedBodyLikeTheParser()
    {
        var html = new MarkdownRenderer().Render(GalleryMarkdown.Write("导语。", Items));

        var view = GalleryView.FromHtml(html);

        Assert.Equal("<p>导语。</p>", view.IntroHtml);
        Assert.Equal(Items.Select(i => (i.Url, i.Alt)), view.Pictures.Select(p => (p.Src, p.Alt)));
        Assert.Equal("花垣县十八洞村：全村人均年收入达到14668元。", view.Pictures[0].CaptionText);
        Assert.Equal("", view.Pictures[1].CaptionHtml);
        Assert.Contains("<strong>加粗</strong>", view.Pictures[2].CaptionHtml);
        Assert.Equal("第一段说明。 第二段说明，含加粗和链接。", view.Pictures[2].CaptionText);
    }
}
