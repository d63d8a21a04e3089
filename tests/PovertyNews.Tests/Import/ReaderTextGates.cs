using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Newsroom.Articles;
using PovertyNews.Web.Newsroom.SensitiveWords;

namespace PovertyNews.Tests.Import;

/// <summary>The newsroom's real word gate on a test's context, as the app wires it, for the importer outside a host.</summary>
public static class ReaderTextGates
{
    public static IReaderTextGate For(NewsDbContext db, TimeProvider clock)
    {
        var markdown = new MarkdownRenderer();
        var screening = new ArticleScreening(db, new SensitiveWordCache(NullLogger<SensitiveWordCache>.Instance), markdown,
            NullLogger<ArticleScreening>.Instance);
        var editor = new ArticleEditor(db, markdown, screening,
            new AuditLog(db, new HttpContextAccessor(), clock, NullLogger<AuditLog>.Instance), clock, NullLogger<ArticleEditor>.Instance);
        return new ReaderTextGate(editor, screening);
    }
}
