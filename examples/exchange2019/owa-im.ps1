# Exchange Management Shell, on ex19.contoso.com (Exchange 2019): OWA IM with Skype for Business Server 2019,
# as "Configure instant messaging integration with Outlook on the web" describes it.
New-SettingOverride -Name "OWA IM" -Component OwaServer -Section IMSettings -Parameters @("IMServerName=pool01.contoso.com","IMCertificateThumbprint=7E2A9D31C4B5F60718293A4B5C6D7E8F90A1B2C3") -Reason "OWA IM with SfB 2019" -Server EX19
