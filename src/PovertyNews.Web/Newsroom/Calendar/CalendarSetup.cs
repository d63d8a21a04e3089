namespace PovertyNews.Web.Newsroom.Calendar;

public static class CalendarSetup
{
    /// <summary>排期: the editorial calendar's query; its one write, 改期, is the workflow's.</summary>
    public static IServiceCollection AddCalendar(this IServiceCollection services)
    {
        services.AddScoped<CalendarQuery>();
        return services;
    }
}
