# Skype for Business Server Management Shell: the trusted applications of contoso.com.
New-CsTrustedApplicationPool -Identity ucma01.contoso.com -Registrar pool01.contoso.com -Site 1 -RequiresReplication $false -ComputerFqdn ucma01.contoso.com
New-CsTrustedApplication -ApplicationId contoso-ivr -TrustedApplicationPoolFqdn ucma01.contoso.com -Port 6001
