using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Common;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.Calendar;
using PovertyNews.Web.Newsroom.Publishing;

namespace PovertyNews.Web.Pages.Admin.Calendar;

/// <summary>
/// 排期: scheduled and published reports by day, a month or a week at a time, filtered by channel; a pending report
/// can be moved (改期) from here through the same workflow step as on its review page.
/// </summary>
public class IndexModel(CalendarQuery calendar, WorkflowService workflow, TimeProvider time) : PageModel
{
    /// <summary>Published reports a month's day shows before "另有 N 篇"; the week view shows them all.</summary>
    public const int MonthDayPublishedLimit = 3;

    // Strings, not typed values: the same parameters ride on the 改期 form's address, and a stray value there must
    // not invalidate the step's model state; they are read leniently (anything unreadable means the default).
    [BindProperty(SupportsGet = true, Name = "view")] public string? ViewName { get; set; }
    [BindProperty(SupportsGet = true)] public string? Date { get; set; }
    [BindProperty(SupportsGet = true)] public string? Channel { get; set; }
    [BindProperty(SupportsGet = true)] public string? Desk { get; set; }

    [BindProperty]
    public RescheduleInput Input { get; set; } = new();

    public sealed class RescheduleInput
    {
        public int Id { get; set; }

        /// <summary>The article's version when the calendar was shown: a report changed since is not moved blindly.</summary>
        public Guid Version { get; set; }

        /// <summary>A datetime-local value in China Standard Time.</summary>
        public string? At { get; set; }
    }

    public CalendarPage Calendar { get; private set; } = null!;

    /// <summary>The report whose 改期 failed: its form is shown open, with what was typed and why it was refused.</summary>
    public int? FailedId { get; private set; }

    /// <summary>The earliest value the 改期 inputs offer: the next minute, as on the review page.</summary>
    public string MinValue => WorkflowSteps.FormatChinaLocal(Calendar.Now.AddMinutes(1));

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostRescheduleAsync(CancellationToken ct)
    {
        var actor = User.ToActor();
        var article = await workflow.FindAsync(Input.Id, actor, ct);
        if (article is null)
        {
            return NotFound();
        }
        var title = article.Title;
        Result result = ModelState.IsValid
            ? await workflow.ApplyAsync(article, actor, WorkflowStep.Reschedule, Input.Version, null, Input.At, ct)
            : Result.Refused();
        if (result.Succeeded)
        {
            // Several reports share the page, so the message names the one that moved.
            TempData[ResultExtensions.FlashKey] = $"《{title}》{result.Message}";
            return RedirectToPage(RouteValues(Period(), null));
        }
        ModelState.AddErrors(result, null);
        FailedId = Input.Id;
        await LoadAsync(ct);
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "排期";
        ViewData["AdminSection"] = "calendar";
        Calendar = await calendar.LoadAsync(User.ToActor(), Period(), Filter(), ct);
    }

    private CalendarPeriod Period() => CalendarPeriod.Parse(ViewName, Date, ChinaTime.Today(time.GetUtcNow().UtcDateTime));

    private CalendarFilter Filter() => new(int.TryParse(Channel, out var id) ? id : null, Desk == "true");

    /// <summary>
    /// The calendar's address for <paramref name="period"/> with the current filter; <paramref name="date"/> null
    /// keeps the period's own date.
    /// </summary>
    public Dictionary<string, string> RouteValues(CalendarPeriod period, DateOnly? date)
    {
        var filter = Calendar?.Filter ?? Filter();
        var values = new Dictionary<string, string>();
        if (period.View == CalendarView.Week)
        {
            values["view"] = "week";
        }
        values["date"] = CalendarPeriod.Format(date ?? period.Anchor);
        if (filter.ChannelId is { } channel)
        {
            values["channel"] = channel.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (filter.DeskOnly)
        {
            values["desk"] = "true";
        }
        return values;
    }

    public string PageUrl(CalendarPeriod period, DateOnly? date = null, string? fragment = null) =>
        Url.Page("/Admin/Calendar/Index", RouteValues(period, date)) + (fragment is null ? "" : "#" + fragment);

    /// <summary>The other view around the same days: today when it is in the month shown, else where the period starts.</summary>
    public string SwitchUrl(CalendarView view)
    {
        var period = Calendar.Period;
        var day = Calendar.TodayInView is { } today && period.IsInFocus(today.Date) ? today.Date : period.Anchor;
        return PageUrl(CalendarPeriod.Of(view, day));
    }

    public static string DayId(DateOnly day) => "day-" + CalendarPeriod.Format(day);
}
