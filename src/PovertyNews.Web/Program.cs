using PovertyNews.Web;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Infrastructure;

// --init (start over on an empty or foreign database file) is a setting like any other, so tests can give it too.
args = [.. args.Select(a => a == "--init" ? "--PovertyNews:InitDatabase=true" : a)];
var verb = Commands.Find(args);
var builder = WebApplication.CreateBuilder(verb is null ? args : []);
builder.AddPovertyNews();

var app = builder.Build();
if (verb is not null)
{
    return await Commands.RunAsync(app, verb, args);
}

// The database is prepared on another core while this one assembles the pipeline, which needs no database; the
// server starts only once both are done.
var preparing = Task.Run(() => app.PrepareDatabaseAsync());
app.UsePovertyNews();
try
{
    await preparing;
}
catch (StartRefusedException e)
{
    // Said once and plainly instead of a stack trace: what was found and what to do.
    app.Logger.LogCritical("The site did not start: {Reason}", e.Message);
    return 2;
}
await app.RunAsync();
return 0;

public partial class Program;
