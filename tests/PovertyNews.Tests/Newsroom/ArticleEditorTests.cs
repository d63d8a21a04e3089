using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Articles;

namespace PovertyNews.Tests.Newsroom;

/// <summary>The editor's input rules and diffs, without a database.</summary>
public sealed class ArticleEditorTests
{
    [Theory]
    [InlineData("https://example.com/a.jpg", true)]
    [InlineData("http://example.com/a.jpg", true)]
    [InlineData("/images/samples/delegation.jpg", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("JAVASCRIPT:alert(1)", false)]
    [InlineData("data:image/png;base64,AAAA", false)]
    [InlineData("//evil.example/a.jpg", false)]
    [InlineData("/\\evil.example/a.jpg", false)]
    [InlineData("images/a.jpg", false)]
    [InlineData("https://exa mple.com/a.jpg", false)]
    [InlineData("ftp://example.com/a.jpg", false)]
    public void IsSafeUrl_AllowsHttpAndSiteRelativeOnly(string url, bool safe) =>
        Assert.Equal(safe, ArticleInput.IsSafeUrl(url));

    [Fact]
    public void ParseTags_SplitsOnCommasAndDunhaoTrimsAndDropsDuplicates() =>
        Assert.Equal(["湘西", "花垣县", "产业扶贫", "十八洞村"], ArticleInput.ParseTags(" 湘西，花垣县、产业扶贫, 湘西 ;十八洞村 、"));

    [Fact]
    public void CheckRules_CoverWithoutAlt_AsksForTheAlt()
    {
        var errors = new ArticleInput { Title = "t", CoverImageUrl = "/a.jpg" }.CheckRules().ToList();

        var error = Assert.Single(errors);
        Assert.Equal(nameof(ArticleInput.CoverImageAlt), error.Field);
    }

    [Fact]
    public void CheckRules_RefusesBadTagsAndUrlsAndAVideoWithoutVideo()
    {
        var input = new ArticleInput
        {
            Title = "t",
            Tags = "好/坏、" + new string('长', 51),
            VideoPosterUrl = "javascript:x",
            Kind = ArticleKind.Video,
        };

        var fields = input.CheckRules().Select(e => e.Field).ToList();

        Assert.Equal(2, fields.Count(f => f == nameof(ArticleInput.Tags)));
        Assert.Contains(nameof(ArticleInput.VideoPosterUrl), fields);
        var bareVideo = new ArticleInput { Title = "t", Kind = ArticleKind.Video }.CheckRules();
        Assert.Equal([nameof(ArticleInput.VideoUrl)], bareVideo.Select(e => e.Field)); // a video needs its address or a poster
    }

    [Fact]
    public void CheckRules_TooManyTags_IsRefused()
    {
        var input = new ArticleInput { Title = "t", Tags = string.Join("、", Enumerable.Range(1, ArticleInput.MaxTags + 1).Select(i => $"标签{i}")) };

        Assert.Contains(input.CheckRules(), e => e.Field == nameof(ArticleInput.Tags));
    }

    [Fact]
    public void InlineDiff_MarksTheAddedLineAndFoldsLongUnchangedRuns()
    {
        var old = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"第{i}行"));
        var @new = old.Replace("第15行", "第15行\n新加的一行");

        var diff = TextDiff.Inline(old, @new);

        Assert.Equal((1, 0), (diff.Added, diff.Removed));
        var added = Assert.Single(diff.Rows, r => r.Left?.Kind == DiffLine.Inserted);
        Assert.Equal("新加的一行", added.Left!.Text);
        Assert.Equal(2, diff.Rows.Count(r => r.Skipped > 0));
        Assert.Equal(31, diff.Rows.Sum(r => r.Skipped > 0 ? r.Skipped : 1));
    }

    [Fact]
    public void SideBySideDiff_AlignsChangedLines()
    {
        var diff = TextDiff.SideBySide("标题：甲\n正文", "标题：乙\n正文");

        var first = diff.Rows[0];
        Assert.Equal((DiffLine.Modified, "标题：甲"), (first.Left!.Kind, first.Left.Text));
        Assert.Equal((DiffLine.Modified, "标题：乙"), (first.Right!.Kind, first.Right.Text));
        Assert.Equal(DiffLine.Unchanged, diff.Rows[1].Left!.Kind);
    }

    [Fact]
    public void ArticleText_PutsFieldsBeforeTheBody()
    {
        var text = ArticleText.Of(new ArticleInput { Title = "标题", Tags = "乙、甲", ChannelId = 3, Body = "一\r\n二" }, id => id == 3 ? "产业扶贫" : "", withKind: false);

        var lines = text.Split('\n');
        Assert.Equal("标题：标题", lines[0]);
        Assert.Contains("标签：乙、甲", lines);
        Assert.Contains("栏目：产业扶贫", lines);
        Assert.Contains("摘要：（自动）", lines);
        Assert.Equal(["", "一", "二"], lines[^3..]);
    }
}
