using System.Text;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Domain;

public sealed class ApprovalTextTests
{
    private static ApprovalText Sample() => new(
        Title: "济南湘西协作", Subtitle: null, Summary: "摘要", ChannelId: 7, Tags: ["湘西", "济南"],
        Source: "本网", ReprintedFrom: null, Author: "记者", ResponsibleEditor: "张编辑", ContactHotline: "0531-1",
        ContactWeChat: "wx", CoverImageUrl: "/media/a.jpg", CoverImageAlt: "封面", VideoUrl: null, VideoPosterUrl: null,
        CorrectionNote: null, BodyMarkdown: "第一段\n\n第二段");

    [Fact]
    public void Canonical_IsTheDocumentedLengthPrefixedForm()
    {
        var text = Encoding.UTF8.GetString(Sample().Canonical());

        Assert.Equal(
            "povertynews-approval-v1\n18:济南湘西协作\n0:\n6:摘要\n1:7\n6:本网\n0:\n6:记者\n9:张编辑\n6:0531-1\n2:wx\n12:/media/a.jpg\n6:封面\n0:\n0:\n0:\n"
            + "1:2\n6:济南\n6:湘西\n20:第一段\n\n第二段\n", text);
    }

    [Fact]
    public void Sha256_IsPinned_AsComputedIndependently()
    {
        // Python: hashlib.sha256(the canonical bytes above).hexdigest()
        Assert.Equal("e4f27a1fd892ef8d068b94b6d7eb9b161b5c351a2eb6cd7afaff6ab0377e0f96", Sample().Sha256());
    }

    [Fact]
    public void Sha256_IsLowerCaseHexOf64Characters()
    {
        Assert.Matches("^[0-9a-f]{64}$", Sample().Sha256());
    }

    public static TheoryData<string> Fields => [.. Changes.Keys];

    private static readonly Dictionary<string, Func<ApprovalText, ApprovalText>> Changes = new()
    {
        ["Title"] = t => t with { Title = t.Title + "。" },
        ["Subtitle"] = t => t with { Subtitle = "副标题" },
        ["Summary"] = t => t with { Summary = "另一摘要" },
        ["ChannelId"] = t => t with { ChannelId = 8 },
        ["Tags"] = t => t with { Tags = ["湘西"] },
        ["Source"] = t => t with { Source = "济南日报" },
        ["ReprintedFrom"] = t => t with { ReprintedFrom = "济南日报" },
        ["Author"] = t => t with { Author = "通讯员" },
        ["ResponsibleEditor"] = t => t with { ResponsibleEditor = "李编辑" },
        ["ContactHotline"] = t => t with { ContactHotline = "0531-2" },
        ["ContactWeChat"] = t => t with { ContactWeChat = "wx2" },
        ["CoverImageUrl"] = t => t with { CoverImageUrl = "/media/b.jpg" },
        ["CoverImageAlt"] = t => t with { CoverImageAlt = "封面图" },
        ["VideoUrl"] = t => t with { VideoUrl = "/media/v.mp4" },
        ["VideoPosterUrl"] = t => t with { VideoPosterUrl = "/media/p.jpg" },
        ["CorrectionNote"] = t => t with { CorrectionNote = "更正了数字" },
        ["BodyMarkdown"] = t => t with { BodyMarkdown = "第一段\n\n第二段。" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void AnyFieldChange_ChangesTheHash(string field)
    {
        Assert.NotEqual(Sample().Sha256(), Changes[field](Sample()).Sha256());
    }

    [Fact]
    public void EveryFieldOfTheRecord_HasAChangeTest()
    {
        var parameters = typeof(ApprovalText).GetConstructors().Single().GetParameters().Select(p => p.Name!);
        Assert.Equal(parameters.Order(), Changes.Keys.Order());
    }

    [Fact]
    public void MovingTextBetweenFields_ChangesTheHash()
    {
        var a = Sample() with { Author = "记者", ResponsibleEditor = "" };
        var b = Sample() with { Author = "", ResponsibleEditor = "记者" };
        Assert.NotEqual(a.Sha256(), b.Sha256());
        Assert.NotEqual((Sample() with { Tags = ["a\nb"] }).Sha256(), (Sample() with { Tags = ["a", "b"] }).Sha256());
    }

    [Fact]
    public void LineEndings_AreNormalised_InEveryField()
    {
        var unix = Sample() with { BodyMarkdown = "一\n二\n\n三", Summary = "甲\n乙" };
        var windows = Sample() with { BodyMarkdown = "一\r\n二\r\n\r\n三", Summary = "甲\r\n乙" };
        var oldMac = Sample() with { BodyMarkdown = "一\r二\r\r三", Summary = "甲\r乙" };

        Assert.Equal(unix.Sha256(), windows.Sha256());
        Assert.Equal(unix.Sha256(), oldMac.Sha256());
        Assert.NotEqual(unix.Sha256(), (unix with { BodyMarkdown = "一\n二\n三" }).Sha256());
    }

    [Fact]
    public void MissingAndEmpty_HashAlike_AndTagOrderDoesNotMatter()
    {
        Assert.Equal(Sample().Sha256(), (Sample() with { Subtitle = "" }).Sha256());
        Assert.Equal(Sample().Sha256(), (Sample() with { Tags = ["济南", "湘西"] }).Sha256());
    }

    [Fact]
    public void AnArticle_AndItsRevision_HashAlike()
    {
        var article = new Article
        {
            Id = 5, Slug = "s", Title = "标题", Subtitle = "副", Summary = "摘要", ChannelId = 3, Source = "来源", ReprintedFrom = "转自",
            Author = "作者", ResponsibleEditor = "责编", ContactHotline = "热线", ContactWeChat = "微信", CoverImageUrl = "/c.jpg",
            CoverImageAlt = "说明", VideoUrl = "/v.mp4", VideoPosterUrl = "/p.jpg",
            Tags = [new Tag { Name = "湘西" }, new Tag { Name = "扶贫" }],
        };
        article.SetBody("正文\n第二段", "<p>正文</p>");
        var revision = ArticleRevision.Of(article, 4, new Actor("u", "张", new HashSet<string>()), DateTime.UtcNow);

        Assert.Equal(ApprovalText.Of(article).Sha256(), ApprovalText.Of(revision).Sha256());
        revision.Title = "别的标题";
        Assert.NotEqual(ApprovalText.Of(article).Sha256(), ApprovalText.Of(revision).Sha256());
    }

    /// <summary>
    /// Every Article field is either part of the text readers see, or deliberately left out here: a field added to
    /// Article fails this test until someone decides which.
    /// </summary>
    [Fact]
    public void EveryArticleProperty_IsHashedOrDeliberatelyLeftOut()
    {
        string[] leftOut =
        [
            // Identity, workflow state, bookkeeping: not text readers read.
            "Id", "Slug", "Status", "PublishedAt", "CreatedAt", "UpdatedAt", "OwnerId", "ReviewLevel", "CorrectedAt",
            "WithdrawalReason", "WithdrawnAt", "OfflineAt", "WentOfflineAt", "ViewCount", "ImportHash", "Version",
            // 禁发 is a note among staff, never shown to readers; the recycle bin's time is bookkeeping.
            "EmbargoUntil", "EmbargoNote", "RecycledAt",
            // Where the pending version stands; its own text is a revision, hashed when its levels pass it.
            "PendingRevision", "PendingState", "PendingReviewLevel", "PendingSince",
            // Rendered from BodyMarkdown at save; the Markdown is hashed.
            "BodyHtml",
            // Article or video: follows from the video fields, which are hashed.
            "Kind",
            // Whether readers may comment is a moderation setting, not the report's text.
            "CommentsClosed",
        ];
        using var db = new NewsDbContext(new DbContextOptionsBuilder<NewsDbContext>().UseSqlite("Data Source=:memory:").Options);
        var mapped = db.Model.FindEntityType(typeof(Article))!.GetProperties().Select(p => p.Name).ToHashSet();
        var hashed = typeof(ApprovalText).GetConstructors().Single().GetParameters().Select(p => p.Name!).ToHashSet();

        Assert.Empty(mapped.Except(hashed).Except(leftOut));
        Assert.Empty(hashed.Except(mapped).Except(["Tags"]));
    }
}
