using PovertyNews.Web.Domain;

namespace PovertyNews.Tests.Domain;

/// <summary>What a channel slug may be (<see cref="ChannelSlug"/>) and how a renamed channel keeps its old slugs.</summary>
public class ChannelSlugTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 8, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("xiezuo")]
    [InlineData("east-west-2020")]
    [InlineData("a1")]
    [InlineData("2020")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij")] // 50
    public void WellFormedSlug_IsAccepted(string slug) => Assert.Null(ChannelSlug.Problem(slug));

    [Theory]
    [InlineData(null, "请填写")]
    [InlineData("", "请填写")]
    [InlineData("a", "2–50")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijk", "2–50")] // 51
    [InlineData("Chanye", "小写")]
    [InlineData("chan ye", "小写英文字母、数字和连字符")]
    [InlineData("Chan Ye", "小写英文字母、数字和连字符")]
    [InlineData("chan_ye", "小写英文字母、数字和连字符")]
    [InlineData("-chanye", "开头、结尾")]
    [InlineData("chanye-", "开头、结尾")]
    [InlineData("chan--ye", "连续")]
    [InlineData("产业", "小写英文字母")]
    [InlineData("chanye\n", "小写英文字母")]
    [InlineData("ｃｈａｎｙｅ", "小写英文字母")]
    [InlineData("a.b", "小写英文字母")]
    [InlineData("admin", "保留")]
    [InlineData("feed.xml", "保留")]
    [InlineData("feed", "保留")]
    [InlineData("new", "保留")]
    public void MalformedOrReservedSlug_IsRefusedWithAReason(string? slug, string reason)
    {
        var problem = ChannelSlug.Problem(slug);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Fact]
    public void ChangeSlug_KeepsTheOldSlugAsARedirect()
    {
        var channel = new Channel { Id = 7, Slug = "chanye", Name = "产业扶贫" };

        channel.ChangeSlug("industry", Now);

        Assert.Equal("industry", channel.Slug);
        var redirect = Assert.Single(channel.OldSlugs);
        Assert.Equal(("chanye", 7, Now), (redirect.OldSlug, redirect.ChannelId, redirect.RetiredAt));
    }

    [Fact]
    public void ChangeSlugBack_DropsThatRedirectAndKeepsTheOther()
    {
        var channel = new Channel { Id = 7, Slug = "chanye", Name = "产业扶贫" };
        channel.ChangeSlug("industry", Now);
        channel.ChangeSlug("industry-2", Now.AddDays(1));

        channel.ChangeSlug("chanye", Now.AddDays(2));

        Assert.Equal("chanye", channel.Slug);
        Assert.Equal(["industry", "industry-2"], channel.OldSlugs.Select(r => r.OldSlug).Order());
    }

    [Fact]
    public void ChangeSlugToTheSameSlug_ChangesNothing()
    {
        var channel = new Channel { Id = 7, Slug = "chanye", Name = "产业扶贫" };

        channel.ChangeSlug("chanye", Now);

        Assert.Equal("chanye", channel.Slug);
        Assert.Empty(channel.OldSlugs);
    }
}
