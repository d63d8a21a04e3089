using System.Net;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>PovertyNews:Newsroom:ChangeReviewLevels = 1: a correction passes one level, by any editor but its author.</summary>
public sealed class ChangeReviewLevelsTests(SingleChangeLevelApp shared) : IClassFixture<SingleChangeLevelApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task OneLevelCorrection_IsPassedByAnotherEditor_NotByItsAuthor_AndIsThenVisible()
    {
        await _factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        await _factory.CreateUserAsync("editor2@example.com", NewsRoles.Editor);
        var id = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");
        var author = await _factory.SignInAsync("editor@example.com");
        await author.StepOkAsync(id, "correct", "第三段的人数应为 4482 人次。");

        var own = await author.GetPageAsync($"/admin/articles/{id}");
        Assert.Null(own.QuerySelector("#workflow-passchange"));
        Assert.Contains("由修改人以外的编辑审核", own.QuerySelector("#pending-change").Text());
        using var forced = await author.ForcedStepAsync(_factory, id, "PassChange");
        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.Null((await _factory.CreateReader().GetPageAsync($"/articles/{id}")).QuerySelector(".article__correction"));

        await (await _factory.SignInAsync("editor2@example.com")).StepOkAsync(id, "passchange", "核实无误");

        Assert.Contains("第三段的人数应为 4482 人次。",
            (await _factory.CreateReader().GetPageAsync($"/articles/{id}")).QuerySelector(".article__correction").Text());
        Assert.Equal(ChangeState.None, await _factory.WithDbAsync(db => db.Articles.Where(a => a.Id == id).Select(a => a.PendingState).SingleAsync()));
    }
}
