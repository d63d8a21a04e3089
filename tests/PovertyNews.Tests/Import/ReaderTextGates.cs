using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Tests.Import;

/// <summary>The newsroom's real word gate on a test's context, wired as the app wires it, for the importer outside a host.</summary>
public static class ReaderTextGates
{
    public static IReaderTextGate For(NewsDbContext db, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        services.AddSingleton(db);
        services.AddOptions<NewsroomOptions>();
        services.AddNewsroomAccess();
        services.AddSingleton<IHttpContextAccessor, HttpContextAccessor>();
        services.AddSingleton<MarkdownRenderer>();
        services.AddSingleton<SensitiveWordCache>();
        services.AddScoped<TextScreening>();
        services.AddScoped<ArticleScreening>();
        services.AddScoped<AuditLog>();
        services.AddScoped<ArticleEditor>();
        services.AddScoped<ReaderTextGate>();
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<ReaderTextGate>();
    }
}
