using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Newsroom.Topics;

/// <summary>The topic form (new and edit). Numbers bind as text, so a tampered value gets a Chinese message.</summary>
public sealed class TopicInput
{
    [Display(Name = "专题标题")]
    public string? Title { get; set; }

    [Display(Name = "网址别名")]
    public string? Slug { get; set; }

    [Display(Name = "导语")]
    public string? Introduction { get; set; }

    [Display(Name = "题图地址")]
    public string? BannerImageUrl { get; set; }

    [Display(Name = "题图说明")]
    public string? BannerImageAlt { get; set; }

    [Display(Name = "排序")]
    public string? Position { get; set; }

    [Display(Name = "在首页“专题”区显示")]
    public bool ShowOnFrontPage { get; set; }

    public static TopicInput From(Topic t) => new()
    {
        Title = t.Title, Slug = t.Slug, Introduction = t.IntroductionMarkdown, BannerImageUrl = t.BannerImageUrl,
        BannerImageAlt = t.BannerImageAlt, Position = t.Position.ToString(CultureInfo.InvariantCulture), ShowOnFrontPage = t.ShowOnFrontPage,
    };

    public void Normalize()
    {
        Title = TopicText.Line(Title);
        Slug = TopicText.Line(Slug);
        Introduction = string.IsNullOrWhiteSpace(Introduction) ? null : Introduction.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        BannerImageUrl = TopicText.Line(BannerImageUrl);
        BannerImageAlt = TopicText.Line(BannerImageAlt);
        Position = TopicText.Line(Position);
    }
}

/// <summary>One section of a topic: its heading and where its reports come from.</summary>
public sealed class TopicSectionInput
{
    [Display(Name = "栏目标题")]
    public string? Title { get; set; }

    /// <summary>"Tag", "Channel" or "Articles" (<see cref="TopicSectionSource"/>).</summary>
    [Display(Name = "稿件来源")]
    public string? Source { get; set; }

    [Display(Name = "标签")]
    public string? Tag { get; set; }

    [Display(Name = "栏目")]
    public string? ChannelId { get; set; }

    [Display(Name = "显示条数")]
    public string? MaxItems { get; set; }

    public void Normalize()
    {
        Title = TopicText.Line(Title);
        Source = TopicText.Line(Source);
        Tag = TopicText.Line(Tag);
        ChannelId = TopicText.Line(ChannelId);
        MaxItems = TopicText.Line(MaxItems);
    }
}

/// <summary>One dated entry of a topic's 大事记.</summary>
public sealed class TopicTimelineInput
{
    [Display(Name = "日期")]
    public string? Date { get; set; }

    [Display(Name = "内容")]
    public string? Text { get; set; }

    /// <summary>An article's number or address (/articles/123/…), optional.</summary>
    [Display(Name = "相关稿件")]
    public string? Article { get; set; }

    public void Normalize()
    {
        Date = TopicText.Line(Date);
        Text = TopicText.Line(Text);
        Article = TopicText.Line(Article);
    }
}

public static partial class TopicText
{
    /// <summary>Trims, turns control characters into spaces, blanks to null.</summary>
    public static string? Line(string? value) =>
        new string((value ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim() is { Length: > 0 } t ? t : null;

    public static int? Number(string? value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>An article's id from what an editor pastes: "123", "/articles/123/slug" or the full address.</summary>
    public static int? ArticleId(string? value)
    {
        if (value is null)
        {
            return null;
        }
        var match = ArticleReference().Match(value);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id : null;
    }

    [GeneratedRegex(@"^(?:(?:https?://[^/\s]+)?/articles/)?(\d{1,9})(?:[/?#].*)?\z")]
    private static partial Regex ArticleReference();
}
