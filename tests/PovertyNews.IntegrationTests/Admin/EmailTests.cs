using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using netDumbster.smtp;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Notifications;

namespace PovertyNews.IntegrationTests.Admin;

/// <summary>
/// The app with an SMTP server configured: a local sink (netDumbster) on a free loopback port. The outbox's own timer
/// waits an hour, so each test sends when it says so.
/// </summary>
public sealed class MailApp : SharedNewsApp
{
    public MailApp() : this(SimpleSmtpServer.Start(FreePort()))
    {
    }

    private MailApp(SimpleSmtpServer sink) : base(b =>
    {
        b.UseSetting("PovertyNews:Email:Host", "127.0.0.1");
        b.UseSetting("PovertyNews:Email:Port", sink.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        b.UseSetting("PovertyNews:Email:Security", "None");
        b.UseSetting("PovertyNews:Email:FromAddress", "newsroom@example.com");
        b.UseSetting("PovertyNews:Email:SendInterval", "01:00:00");
        b.UseSetting("PovertyNews:Email:Timeout", "00:00:05");
    }) => Sink = sink;

    public SimpleSmtpServer Sink { get; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public override async Task DisposeAsync()
    {
        Sink.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>E-mail notifications: chosen per kind, queued in the event's save, delivered over SMTP, retried when the server is away.</summary>
public sealed class EmailTests(MailApp shared) : IClassFixture<MailApp>, IAsyncLifetime
{
    private readonly NewsFactory _factory = shared.Factory;
    private readonly WebApplicationFactory<Program> _app = shared.Factory;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        shared.Sink.ClearReceivedEmail();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private EmailOutbox Outbox() => _app.Services.GetRequiredService<EmailOutbox>();

    private async Task<(int Id, HttpClient Editor)> SubmittedAsync(string title)
    {
        await _app.CreateUserInAsync("reporter@example.com", NewsRoles.Reporter);
        await _app.CreateUserInAsync("editor@example.com", NewsRoles.Editor);
        var id = await _app.CreateDraftAsync("reporter@example.com", title);
        await (await _app.SignInToAsync("reporter@example.com")).StepOkAsync(id, "submit");
        return (id, await _app.SignInToAsync("editor@example.com"));
    }

    /// <summary>The reporter chooses e-mail (and keeps the inbox) for 退回, through the settings form.</summary>
    private async Task ChooseEmailForSendBackAsync(bool inApp = true)
    {
        var reporter = await _app.SignInToAsync("reporter@example.com");
        var page = await reporter.GetPageAsync("/admin/inbox/settings");
        Assert.Null(page.QuerySelector("#email-unavailable"));
        var index = page.QuerySelectorAll("input[name$='.Kind']").First(i => i.GetAttribute("value") == nameof(NotificationKind.SentBack))
            .GetAttribute("name")!.Split('[', ']')[1];
        using var saved = await reporter.SubmitFormAsync("/admin/inbox/settings", "form.inbox-settings",
            new() { [$"Input[{index}].Email"] = "true", [$"Input[{index}].InApp"] = inApp ? "true" : null });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }

    private MimeMessage Received(int index) =>
        MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(shared.Sink.ReceivedEmail[index].Data)));

    [Fact]
    public async Task EmailChosen_IsQueuedWithTheEvent_AndDeliveredWithRecipientSubjectAndLink()
    {
        var (id, editor) = await SubmittedAsync("芙蓉镇旅游公路通车");
        await ChooseEmailForSendBackAsync(inApp: false);

        await editor.StepOkAsync(id, "sendback", note: "请核实通车日期");

        // In-app turned off: no inbox line, only the e-mail, queued in the step's save.
        Assert.False(await _factory.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Kind == NotificationKind.SentBack)));
        var queued = await _factory.WithDbAsync(db => db.OutgoingEmails.SingleAsync());
        Assert.Equal(("reporter@example.com", 0, (DateTime?)null), (queued.To, queued.Attempts, queued.SentAt));

        Assert.Equal(1, await Outbox().SendDueAsync(CancellationToken.None));

        Assert.Equal(1, shared.Sink.ReceivedEmailCount);
        var mail = Received(0);
        Assert.Equal("reporter@example.com", Assert.Single(mail.To.Mailboxes).Address);
        Assert.Equal("newsroom@example.com", Assert.Single(mail.From.Mailboxes).Address);
        Assert.Equal("【编辑部】稿件被退回：您的稿件《芙蓉镇旅游公路通车》被退回（editor）：请核实通车日期", mail.Subject);
        Assert.Contains($"http://localhost/admin/articles/{id}", mail.TextBody);
        Assert.Contains("请核实通车日期", mail.TextBody);
        var sent = await _factory.WithDbAsync(db => db.OutgoingEmails.SingleAsync());
        Assert.NotNull(sent.SentAt);
        Assert.Equal(1, sent.Attempts);
        // Sent once: a second pass finds nothing.
        Assert.Equal(0, await Outbox().SendDueAsync(CancellationToken.None));
        Assert.Equal(1, shared.Sink.ReceivedEmailCount);
    }

    [Fact]
    public async Task EmailNotChosen_NothingIsQueued()
    {
        var (id, editor) = await SubmittedAsync("凤凰县民族中学新校区落成");
        await editor.StepOkAsync(id, "sendback", note: "标题过长");

        Assert.True(await _factory.WithDbAsync(db => db.Notifications.AnyAsync(n => n.Kind == NotificationKind.SentBack)));
        Assert.Equal(0, await _factory.WithDbAsync(db => db.OutgoingEmails.CountAsync()));
    }

    [Fact]
    public async Task UnreachableServer_LeavesTheMailQueuedWithItsError_ThenALaterAttemptDelivers()
    {
        var (id, editor) = await SubmittedAsync("花垣县锰矿生态修复");
        await ChooseEmailForSendBackAsync();
        await editor.StepOkAsync(id, "sendback", note: "补充修复面积");
        var settings = _app.Services.GetRequiredService<IOptions<EmailOptions>>().Value;
        var away = new EmailOptions
        {
            Host = "127.0.0.1", Port = MailApp.FreePort(), Security = MailKit.Security.SecureSocketOptions.None,
            FromAddress = settings.FromAddress, Timeout = TimeSpan.FromSeconds(5),
        };
        var broken = ActivatorUtilities.CreateInstance<EmailOutbox>(_app.Services, Options.Create(away));

        Assert.Equal(0, await broken.SendDueAsync(CancellationToken.None));

        var failed = await _factory.WithDbAsync(db => db.OutgoingEmails.SingleAsync());
        Assert.Null(failed.SentAt);
        Assert.Equal(1, failed.Attempts);
        Assert.False(string.IsNullOrEmpty(failed.LastError));
        var now = _factory.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(now + away.FirstRetryDelay, failed.NextAttemptAt, TimeSpan.FromSeconds(1));
        // Not due yet: even the working server is not asked before its time.
        Assert.Equal(0, await Outbox().SendDueAsync(CancellationToken.None));
        Assert.Equal(0, shared.Sink.ReceivedEmailCount);

        _factory.Clock.Advance(away.FirstRetryDelay + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Outbox().SendDueAsync(CancellationToken.None));

        Assert.Equal(1, shared.Sink.ReceivedEmailCount);
        var sent = await _factory.WithDbAsync(db => db.OutgoingEmails.SingleAsync());
        Assert.NotNull(sent.SentAt);
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.LastError);
    }

    [Fact]
    public async Task RepeatedFailures_BackOffExponentially_AndAreGivenUpAfterTheLastAttempt()
    {
        var (id, editor) = await SubmittedAsync("永顺县老司城遗址保护");
        await ChooseEmailForSendBackAsync();
        await editor.StepOkAsync(id, "sendback", note: "请补图");
        var away = new EmailOptions
        {
            Host = "127.0.0.1", Port = MailApp.FreePort(), Security = MailKit.Security.SecureSocketOptions.None,
            FromAddress = "newsroom@example.com", MaxAttempts = 3, FirstRetryDelay = TimeSpan.FromMinutes(1), Timeout = TimeSpan.FromSeconds(5),
        };
        var broken = ActivatorUtilities.CreateInstance<EmailOutbox>(_app.Services, Options.Create(away));
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await broken.SendDueAsync(CancellationToken.None);
            var row = await _factory.WithDbAsync(db => db.OutgoingEmails.SingleAsync());
            Assert.Equal(attempt, row.Attempts);
            waits.Add(row.NextAttemptAt - _factory.Clock.GetUtcNow().UtcDateTime);
            _factory.Clock.Advance(row.NextAttemptAt - _factory.Clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1));
        }
        Assert.Equal([1.0, 2.0, 4.0], waits.Select(w => Math.Round(w.TotalMinutes)));
        // Given up: no fourth attempt is made, and the row keeps its last error.
        Assert.Equal(0, await broken.SendDueAsync(CancellationToken.None));
        var given = await _factory.WithDbAsync(db => db.OutgoingEmails.SingleAsync());
        Assert.Equal((3, (DateTime?)null), (given.Attempts, given.SentAt));
        Assert.NotNull(given.LastError);
    }
}
