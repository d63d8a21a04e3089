using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Tests.Newsroom.Access;

/// <summary>
/// The access policy through the real <see cref="IAuthorizationService"/>: the handler registered as the app registers
/// it, a fixed clock, desks from a dictionary. Channel 1 (desk A) has sub-channel 11; channel 2 is desk B.
/// </summary>
public class ArticleAccessHandlerTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 4, 0, 0, DateTimeKind.Utc);
    private static readonly ChannelHierarchy Tree = new([(1, null), (11, 1), (2, null)]);

    private static readonly Actor Admin = new("admin", "管理员", new HashSet<string> { NewsRoles.Administrator });
    private static readonly Actor Chief = new("chief", "总编辑", new HashSet<string> { NewsRoles.EditorInChief });
    private static readonly Actor EditorA = new("editor-a", "编辑甲", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor EditorAll = new("editor-all", "编辑乙", new HashSet<string> { NewsRoles.Editor });
    private static readonly Actor Owner = new("owner", "记者甲", new HashSet<string> { NewsRoles.Reporter });
    private static readonly Actor OtherReporter = new("other", "记者乙", new HashSet<string> { NewsRoles.Reporter });

    private sealed class Desks(Dictionary<string, int[]> desks) : IDeskCoverage
    {
        public Task<Coverage> ForAsync(string userId, CancellationToken ct = default) =>
            Task.FromResult(Coverage.Of(desks.GetValueOrDefault(userId) ?? [], Tree));
    }

    private static ArticleAccess Access(Dictionary<string, int[]>? desks = null, int levels = 3)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorization();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddSingleton(Options.Create(new NewsroomOptions { ReviewLevels = levels }));
        services.AddSingleton<IDeskCoverage>(new Desks(desks ?? new() { ["editor-a"] = [1], ["owner"] = [1] }));
        services.AddSingleton<IAuthorizationHandler, ArticleAccessHandler>();
        services.AddSingleton<IAuthorizationHandler, ChannelWriteHandler>();
        services.AddSingleton<ArticleAccess>();
        return services.BuildServiceProvider().GetRequiredService<ArticleAccess>();
    }

    private static ArticleFacts Facts(ArticleStatus status, int channel = 1, int level = 0, DateTime? at = null, string? owner = "owner") =>
        new(7, owner, channel, status, level, at ?? (status is ArticleStatus.Published or ArticleStatus.Scheduled ? Now.AddHours(-1) : null));

    [Theory]
    [InlineData(ArticleStatus.Draft)]
    [InlineData(ArticleStatus.InReview)]
    [InlineData(ArticleStatus.Withdrawn)]
    public async Task View_HiddenStates_OwnerEditorialStaffAndAdministratorsOnly(ArticleStatus status)
    {
        var access = Access();
        var inA = Facts(status, channel: 1);
        var inB = Facts(status, channel: 2, owner: "someone");

        Assert.True(await access.MayAsync(Owner, inA, ArticleOperations.View));
        Assert.True(await access.MayAsync(EditorA, inA, ArticleOperations.View));
        Assert.True(await access.MayAsync(Admin, inB, ArticleOperations.View));
        Assert.True(await access.MayAsync(EditorAll, inB, ArticleOperations.View));
        Assert.True(await access.MayAsync(EditorA, inB, ArticleOperations.View));
        Assert.False(await access.MayAsync(OtherReporter, inA, ArticleOperations.View));
    }

    [Fact]
    public async Task Embargo_ScheduledBeforeItsMinute_HiddenFromOtherReporters_ThenVisible()
    {
        var access = Access();
        var pending = Facts(ArticleStatus.Scheduled, channel: 2, at: Now.AddMinutes(30), owner: "someone");
        var due = pending with { PublishedAt = Now.AddMinutes(-1) };

        Assert.False(await access.MayAsync(OtherReporter, pending, ArticleOperations.ListInStaffSearch));
        Assert.False(await access.MayAsync(OtherReporter, pending, ArticleOperations.View));
        Assert.True(await access.MayAsync(EditorA, pending, ArticleOperations.View));
        Assert.True(await access.MayAsync(Admin, pending, ArticleOperations.View));
        Assert.True(await access.MayAsync(OtherReporter, due, ArticleOperations.View));
        Assert.True(await access.MayAsync(EditorA, due, ArticleOperations.UseInMedia));
    }

    [Fact]
    public async Task Desk_EditorOfA_PassesAndPublishesInAAndItsSubChannel_NotInB()
    {
        var access = Access();
        foreach (var channel in new[] { 1, 11 })
        {
            Assert.True(await access.MayAsync(EditorA, Facts(ArticleStatus.Submitted, channel), ArticleOperations.Pass));
            Assert.True(await access.MayAsync(EditorA, Facts(ArticleStatus.Approved, channel, level: 3), ArticleOperations.Publish));
            Assert.True(await access.MayAsync(EditorA, Facts(ArticleStatus.Published, channel), ArticleOperations.Withdraw));
        }
        var result = await access.AuthorizeAsync(EditorA, Facts(ArticleStatus.Submitted, 2), ArticleOperations.Pass);
        Assert.False(result.Succeeded);
        Assert.Equal(ArticleAccessHandler.DeskMessage, ArticleAccess.ReasonOf(result));
        Assert.False(await access.MayAsync(EditorA, Facts(ArticleStatus.Approved, 2, level: 3), ArticleOperations.Publish));
        Assert.False(await access.MayAsync(EditorA, Facts(ArticleStatus.Published, 2), ArticleOperations.Correct));
        Assert.False(await access.MayAsync(EditorA, Facts(ArticleStatus.Draft, 2), ArticleOperations.Edit));
    }

    [Fact]
    public async Task Pass_LastLevelIsTheEditorInChiefs()
    {
        var access = Access();
        var atLastLevel = Facts(ArticleStatus.InReview, level: 2);

        Assert.False(await access.MayAsync(EditorAll, atLastLevel, ArticleOperations.Pass));
        Assert.True(await access.MayAsync(Chief, atLastLevel, ArticleOperations.Pass));
        Assert.True(await access.MayAsync(EditorAll, Facts(ArticleStatus.InReview, level: 1), ArticleOperations.Pass));
    }

    [Fact]
    public async Task EditorInChief_LimitedByADesk_IsLimited()
    {
        var access = Access(new() { ["chief"] = [2] });

        Assert.False(await access.MayAsync(Chief, Facts(ArticleStatus.InReview, 1, level: 2), ArticleOperations.Pass));
        Assert.True(await access.MayAsync(Chief, Facts(ArticleStatus.InReview, 2, level: 2), ArticleOperations.Pass));
    }

    [Fact]
    public async Task Edit_ReporterOwnDraftInOwnDesk_NotAfterSubmitting_NotOthers()
    {
        var access = Access();

        Assert.True(await access.MayAsync(Owner, Facts(ArticleStatus.Draft, 11), ArticleOperations.Edit));
        Assert.True(await access.MayAsync(Owner, Facts(ArticleStatus.Draft, 1), ArticleOperations.Submit));
        Assert.False(await access.MayAsync(Owner, Facts(ArticleStatus.Draft, 2), ArticleOperations.Edit));
        Assert.False(await access.MayAsync(Owner, Facts(ArticleStatus.Submitted, 1), ArticleOperations.Edit));
        Assert.False(await access.MayAsync(OtherReporter, Facts(ArticleStatus.Draft, 1), ArticleOperations.Edit));
        Assert.False(await access.MayAsync(Owner, Facts(ArticleStatus.Submitted, 1), ArticleOperations.Pass));
    }

    [Fact]
    public async Task Administrator_ViewsEverything_ChangesNothing_WithAReason()
    {
        var access = Access();
        var draft = Facts(ArticleStatus.Draft);

        Assert.True(await access.MayAsync(Admin, draft, ArticleOperations.View));
        foreach (var operation in ArticleOperations.All.Except([ArticleOperations.View, ArticleOperations.ListInStaffSearch, ArticleOperations.UseInMedia,
                     ArticleOperations.ViewReads, ArticleOperations.Purge]))
        {
            var result = await access.AuthorizeAsync(Admin, Facts(ArticleStatus.Approved) with { Status = StatusFor(operation) }, operation);
            Assert.False(result.Succeeded, operation.Name);
            Assert.Equal(ArticleAccessHandler.AdministratorMessage, ArticleAccess.ReasonOf(result));
        }
    }

    [Fact]
    public async Task ViewReads_EditorialStaffAndAdministratorsEverywhere_AReporterOnlyTheirOwn_EvenWhenPublic()
    {
        var access = Access();
        var published = Facts(ArticleStatus.Published, channel: 2);

        foreach (var actor in new[] { Admin, Chief, EditorA, EditorAll, Owner })
        {
            Assert.True(await access.MayAsync(actor, published, ArticleOperations.ViewReads), actor.Name);
        }
        // Readers see the article, not its figures: another reporter may open the review page but not the reads.
        Assert.True(await access.MayAsync(OtherReporter, published, ArticleOperations.View));
        Assert.False(await access.MayAsync(OtherReporter, published, ArticleOperations.ViewReads));
        Assert.True(await access.MayAsync(Owner, Facts(ArticleStatus.Withdrawn), ArticleOperations.ViewReads));
    }

    private static ArticleStatus StatusFor(OperationAuthorizationRequirement operation) => operation.Name switch
    {
        nameof(ArticleOperations.Edit) or nameof(ArticleOperations.Submit) => ArticleStatus.Draft,
        nameof(ArticleOperations.Pass) => ArticleStatus.Submitted,
        nameof(ArticleOperations.Correct) or nameof(ArticleOperations.Withdraw) => ArticleStatus.Published,
        nameof(ArticleOperations.Restore) => ArticleStatus.Recycled,
        _ => ArticleStatus.Approved,
    };

    [Fact]
    public async Task Recycle_AReporterTheirOwnDraftInTheirDesk_EditorsReportsReadersNeverSawInTheirDesk()
    {
        var access = Access();

        Assert.True(await access.MayAsync(Owner, Facts(ArticleStatus.Draft), ArticleOperations.Recycle));
        Assert.False(await access.MayAsync(Owner, Facts(ArticleStatus.Submitted), ArticleOperations.Recycle));
        Assert.False(await access.MayAsync(OtherReporter, Facts(ArticleStatus.Draft), ArticleOperations.Recycle));
        Assert.False(await access.MayAsync(Owner, Facts(ArticleStatus.Draft, channel: 2), ArticleOperations.Recycle));
        foreach (var status in new[] { ArticleStatus.Draft, ArticleStatus.Submitted, ArticleStatus.InReview, ArticleStatus.Approved, ArticleStatus.Withdrawn })
        {
            Assert.True(await access.MayAsync(EditorA, Facts(status), ArticleOperations.Recycle), status.ToString());
            var outside = await access.AuthorizeAsync(EditorA, Facts(status, channel: 2), ArticleOperations.Recycle);
            Assert.Equal(ArticleAccessHandler.DeskMessage, ArticleAccess.ReasonOf(outside));
        }
        Assert.False(await access.MayAsync(Chief, Facts(ArticleStatus.Published), ArticleOperations.Recycle));
        Assert.False(await access.MayAsync(Chief, Facts(ArticleStatus.Scheduled, at: Now.AddHours(1)), ArticleOperations.Recycle));
    }

    [Fact]
    public async Task RestoreAndPurge_RestoreWhoCouldDelete_PurgeAdministratorsAndEditorsInChiefOnly()
    {
        var access = Access(new() { ["editor-a"] = [1], ["owner"] = [1], ["chief"] = [2] });
        var recycled = Facts(ArticleStatus.Recycled);

        Assert.True(await access.MayAsync(Owner, recycled, ArticleOperations.Restore));
        Assert.True(await access.MayAsync(EditorA, recycled, ArticleOperations.Restore));
        Assert.False(await access.MayAsync(OtherReporter, recycled, ArticleOperations.Restore));
        Assert.False(await access.MayAsync(Owner, Facts(ArticleStatus.Draft), ArticleOperations.Restore));

        Assert.True(await access.MayAsync(Admin, recycled, ArticleOperations.Purge));
        Assert.True(await access.MayAsync(Chief, Facts(ArticleStatus.Recycled, channel: 2), ArticleOperations.Purge));
        Assert.Equal(ArticleAccessHandler.DeskMessage, ArticleAccess.ReasonOf(await access.AuthorizeAsync(Chief, recycled, ArticleOperations.Purge)));
        Assert.False(await access.MayAsync(EditorA, recycled, ArticleOperations.Purge));
        Assert.False(await access.MayAsync(Owner, recycled, ArticleOperations.Purge));
        Assert.False(await access.MayAsync(Admin, Facts(ArticleStatus.Draft), ArticleOperations.Purge));
    }

    [Fact]
    public async Task WriteInChannel_FollowsTheDesk_NoDeskMeansTheWholeSite()
    {
        var access = Access();

        Assert.Null(await access.RefusalToWriteInAsync(Owner, 11));
        Assert.Equal(ArticleAccessHandler.ChannelDeskMessage, await access.RefusalToWriteInAsync(Owner, 2));
        Assert.Null(await access.RefusalToWriteInAsync(OtherReporter, 2));
        Assert.NotNull(await access.RefusalToWriteInAsync(Admin, 1));
        Assert.Null(await access.WritableChannelsAsync(OtherReporter));
        Assert.Equal([1, 11], (await access.WritableChannelsAsync(Owner))!.Order());
    }

    public static TheoryData<string> Actors => new() { "admin", "chief", "editor-a", "editor-all", "owner", "other" };

    /// <summary>
    /// The list scope (search, article list, dashboard) and the per-article answer agree for every state and channel,
    /// but for the recycle bin: a deleted report still opens for whoever may see it, and is listed only in the bin.
    /// </summary>
    [Theory]
    [MemberData(nameof(Actors))]
    public async Task ListScope_AgreesWithViewForEveryArticle(string who)
    {
        var actor = new[] { Admin, Chief, EditorA, EditorAll, Owner, OtherReporter }.Single(a => a.UserId == who);
        var access = Access();
        var scope = await access.ScopeAsync(actor);
        foreach (var status in Enum.GetValues<ArticleStatus>())
        {
            foreach (var channel in new[] { 1, 11, 2 })
            {
                foreach (var owner in new[] { "owner", "someone", null })
                {
                    foreach (var at in new DateTime?[] { null, Now.AddHours(-1), Now.AddHours(1) })
                    {
                        var facts = new ArticleFacts(1, owner, channel, status, 0, at);
                        var view = await access.MayAsync(actor, facts, ArticleOperations.View);
                        Assert.Equal(view && status != ArticleStatus.Recycled, scope.Includes(facts, Now));
                        Assert.Equal(view, await access.MayAsync(actor, facts, ArticleOperations.ListInStaffSearch));
                    }
                }
            }
        }
    }
}
