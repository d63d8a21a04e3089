using PovertyNews.Web;
using PovertyNews.Web.Infrastructure;

var verb = Commands.Find(args);
var builder = WebApplication.CreateBuilder(verb is null ? args : []);
builder.AddPovertyNews();

var app = builder.Build();
if (verb is not null)
{
    return await Commands.RunAsync(app, verb, args);
}

await app.PrepareDatabaseAsync();
app.UsePovertyNews();
await app.RunAsync();
return 0;

public partial class Program;
