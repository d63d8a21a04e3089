using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Media;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Curation;
using PovertyNews.Web.Newsroom.Settings;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// Refusals of the feature services that the pages' tests do not reach: each answers the shared result with its
/// Chinese message and status, and writes nothing. One host for the class; each test uses its own data.
/// </summary>
public sealed class ServiceResultTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    private static readonly Actor Editor = new("editor-id", "编辑", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Reporter = new("reporter-id", "记者", new HashSet<string> { NewsRoles.Reporter });

    [Fact]
    public async Task Sidebars_SavedTwiceTheSame_AreUnchangedTheSecondTime()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var sidebars = scope.ServiceProvider.GetRequiredService<SidebarSettingsService>();
        var channel = await scope.ServiceProvider.GetRequiredService<NewsDbContext>().Channels.Select(c => c.Id).FirstAsync();
        var input = new SidebarsInput
        {
            HotVideoCount = "3", HotNewsCount = "5", OpinionChannelId = $"{channel}", OpinionCount = "4", TownChannelId = $"{channel}", TownCount = "2",
        };

        var first = await sidebars.SaveAsync(input, "测试", default);
        var audits = await AuditCountAsync(AuditActions.SidebarsChanged);
        var second = await sidebars.SaveAsync(input, "测试", default);

        Assert.Equal(ResultKind.Done, first.Kind);
        Assert.Equal(ResultKind.Unchanged, second.Kind);
        Assert.Equal("侧栏设置没有变化。", second.Message);
        Assert.Equal(audits, await AuditCountAsync(AuditActions.SidebarsChanged));
    }

    [Fact]
    public async Task Sidebars_WrongValues_AreRefusedPerField()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var sidebars = scope.ServiceProvider.GetRequiredService<SidebarSettingsService>();

        var result = await sidebars.SaveAsync(new SidebarsInput { HotVideoCount = "abc", HotNewsCount = "6", OpinionCount = "6", TownCount = "99" }, "测试", default);

        Assert.Equal(ResultKind.Refused, result.Kind);
        Assert.Equal(400, result.StatusCode);
        Assert.Equal(
            [nameof(SidebarsInput.HotVideoCount), nameof(SidebarsInput.OpinionChannelId), nameof(SidebarsInput.TownChannelId), nameof(SidebarsInput.TownCount)],
            result.Errors.Select(e => e.Field));
        Assert.Equal(SidebarSettings.RangeMessage("热点视频", SidebarSettings.VideoCountRange), result.Errors[0].Message);
    }

    [Fact]
    public void Settings_BadNumbers_AreRefusedWithoutTouchingTheDatabase()
    {
        var input = new SettingsInput { SiteName = " 网站 ", IcpNumber = "ICP备1号", FooterLines = new string('字', SettingsInput.FooterMaxLength + 1) };

        var result = SiteSettingsService.Check(input);

        Assert.Equal(ResultKind.Refused, result.Kind);
        Assert.Equal([nameof(SettingsInput.IcpNumber), nameof(SettingsInput.FooterLines)], result.Errors.Select(e => e.Field));
        Assert.Equal(SiteSettingsService.IcpMessage, result.Errors[0].Message);
        Assert.Equal("网站", input.SiteName); // cleaned in place, so the form shows what was checked
    }

    [Fact]
    public async Task Accounts_DisablingOneselfIsRefusedAndRepeatsAreUnchanged()
    {
        await factory.CreateUserAsync("service-admin@example.com", NewsRoles.Administrator);
        await factory.CreateUserAsync("service-user@example.com", NewsRoles.Reporter);
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NewsUser>>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var admin = (await users.FindByEmailAsync("service-admin@example.com"))!;
        var user = (await users.FindByEmailAsync("service-user@example.com"))!;

        var self = await accounts.DisableAsync(admin, admin.Id, "测试");
        var enableEnabled = await accounts.EnableAsync(user, "测试");
        var disabled = await accounts.DisableAsync(user, admin.Id, "测试");
        var again = await accounts.DisableAsync(user, admin.Id, "测试");

        Assert.Equal(ResultKind.Refused, self.Kind);
        Assert.Equal(AccountService.SelfDisableMessage, self.Message);
        Assert.False(admin.IsDisabled);
        Assert.Equal(("该账户已是启用状态。", ResultKind.Unchanged), (enableEnabled.Message, enableEnabled.Kind));
        Assert.Equal(ResultKind.Done, disabled.Kind);
        Assert.Equal(("该账户已是停用状态。", ResultKind.Unchanged), (again.Message, again.Kind));
    }

    [Fact]
    public async Task Accounts_RolesWithoutAdministratorForOneself_AreRefusedNextToTheRoles()
    {
        await factory.CreateUserAsync("service-self@example.com", NewsRoles.Administrator);
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NewsUser>>();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var admin = (await users.FindByEmailAsync("service-self@example.com"))!;

        var dropped = await accounts.SetRolesAsync(admin, [NewsRoles.Editor], admin.Id, "测试");
        var unknown = await accounts.SetRolesAsync(admin, ["Owner"], admin.Id, "测试");

        Assert.Equal(new InputError(AccountService.RolesField, AccountService.SelfAdminMessage), Assert.Single(dropped.Errors));
        Assert.Equal(new InputError(AccountService.RolesField, "角色不正确。"), Assert.Single(unknown.Errors));
        Assert.Equal([NewsRoles.Administrator], await accounts.RolesOfAsync(admin));
    }

    [Fact]
    public async Task Curation_MovingOrRemovingAnArticleNotInTheBlock_IsRefused()
    {
        var article = await factory.WithDbAsync(db => db.Articles.Where(a => !a.Placements.Any()).Select(a => a.Id).FirstAsync());
        await using var scope = factory.Services.CreateAsyncScope();
        var curation = scope.ServiceProvider.GetRequiredService<CurationService>();

        var moved = await curation.MoveAsync(CurationBlock.Headline, article, -1, default);
        var removed = await curation.RemoveAsync(CurationBlock.HotVideos, article, default);

        Assert.Equal((ResultKind.Refused, 400), (moved.Kind, moved.StatusCode));
        Assert.Equal("这篇稿件不在头条中。", moved.Message);
        Assert.Equal(ResultKind.Refused, removed.Kind);
    }

    [Fact]
    public async Task Media_AltTextIsRefusedWhenTooLongOrNotYours()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var library = scope.ServiceProvider.GetRequiredService<MediaLibrary>();
        var item = new MediaItem { StoredName = "x.jpg", OriginalName = "x.jpg", SourceFormat = "jpeg", ContentType = "image/jpeg", Sha256 = "", UploadedById = "someone-else" };

        var tooLong = await library.SetAltTextAsync(item, new string('字', MediaItem.MaxAltTextLength + 1), Editor, default);
        var notYours = await library.SetAltTextAsync(item, "说明", Reporter, default);
        var notDeletable = await library.DeleteAsync(item, Reporter, default);

        Assert.Equal((ResultKind.Refused, MediaLibrary.AltTextMessage), (tooLong.Kind, tooLong.Message));
        Assert.Equal((ResultKind.Forbidden, 403), (notYours.Kind, notYours.StatusCode));
        Assert.Equal(ResultKind.Forbidden, notDeletable.Kind);
        Assert.Null(item.AltText);
    }

    private Task<int> AuditCountAsync(string action) => factory.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == action));
}
