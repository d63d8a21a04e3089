namespace PovertyNews.Web.Newsroom.BulkActions;

public static class BulkActionsSetup
{
    /// <summary>批量操作 over reports selected in the staff search and the article list.</summary>
    public static IServiceCollection AddBulkActions(this IServiceCollection services)
    {
        services.AddScoped<BulkActionService>();
        return services;
    }
}
