namespace PovertyNews.Web.Operations.Backup;

public static class BackupSetup
{
    /// <summary>Backups: the service behind the backup and restore commands, the daily schedule and the catalog.</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, string dataPath, IHostEnvironment environment)
    {
        services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure(o => o.Folder = string.IsNullOrWhiteSpace(o.Folder)
                ? Path.Combine(dataPath, "backups")
                : Path.GetFullPath(Path.Combine(environment.ContentRootPath, o.Folder)));
        services.AddSingleton(new BackupDataPath(dataPath));
        services.AddSingleton<BackupService>();
        services.AddSingleton<BackupScheduleState>();
        services.AddSingleton<BackupCatalog>();
        services.AddSingleton<BackupScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<BackupScheduler>());
        return services;
    }
}
