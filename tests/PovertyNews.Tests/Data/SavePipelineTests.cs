using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Web;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Data;
using PovertyNews.Web.Search;

namespace PovertyNews.Tests.Data;

public sealed class SavePipelineTests
{
    private sealed class Staged(SaveStage stage) : ISaveInterceptor
    {
        public SaveStage Stage => stage;
    }

    private sealed class Unstaged : IInterceptor;

    [Fact]
    public void InterceptorsRegisteredInAnyOrder_RunInStageOrder_UnstagedLast()
    {
        var after = new Staged(SaveStage.AfterCommit);
        var other = new Unstaged();
        var within = new Staged(SaveStage.InTransaction);

        Assert.Equal<IInterceptor>([within, after, other], SavePipeline.Ordered([other, after, within]));
    }

    [Fact]
    public async Task AppContext_IndexesInsideTheSave_BeforeTheCacheEvicts()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "povertynews-unit", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration["PovertyNews:DataPath"] = dataPath;
        builder.AddPovertyNews();
        await using var app = builder.Build();
        await using var scope = app.Services.CreateAsyncScope();

        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var interceptors = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.Interceptors!.ToList();

        var search = interceptors.FindIndex(i => i is SearchIndexInterceptor);
        var cache = interceptors.FindIndex(i => i is CacheEvictionInterceptor);
        Assert.True(search >= 0 && cache >= 0, "both save interceptors are on the context");
        Assert.True(search < cache, "the search index writes inside the save before the cache evicts");
        Directory.Delete(dataPath, recursive: true);
    }
}
