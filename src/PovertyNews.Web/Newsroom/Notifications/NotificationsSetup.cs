namespace PovertyNews.Web.Newsroom.Notifications;

public static class NotificationsSetup
{
    /// <summary>消息: the inbox's writes, the notifier the workflow and the alerts write through, and the e-mail outbox's sender.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.FromAddress),
                "PovertyNews:Email:FromAddress is required when PovertyNews:Email:Host is set")
            .ValidateOnStart();
        services.AddHttpContextAccessor();
        services.AddScoped<Notifier>();
        services.AddScoped<InboxService>();
        services.AddSingleton<EmailOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<EmailOutbox>());
        return services;
    }
}
