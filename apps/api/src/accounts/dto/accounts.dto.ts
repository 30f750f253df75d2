import {
  ChangePasswordRequest,
  DEVICE_DISPLAY_NAME_MAX_LENGTH,
  HubSettings,
  INVITE_CODE_MAX_LENGTH,
  LoginRequest,
  PASSWORD_MAX_LENGTH,
  PasswordRequest,
  RECOVERY_CODE_MAX_LENGTH,
  RegisterRequest,
  ReauthRequest,
  DisableSecondFactorRequest,
  TotpConfirmRequest,
} from '@hearth/protocol';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** Room for spaces a person may type between the digits; the service checks the digits. */
const CODE_MAX_LENGTH = 12;

// Length and grammar rules with their own error codes (username, password strength) are
// checked by the service; these bounds only keep absurd input out.

export class RegisterDto implements RegisterRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(INVITE_CODE_MAX_LENGTH)
  invite_code!: string;

  @IsString()
  @MaxLength(255)
  username!: string;

  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @IsOptional()
  @IsString()
  @MaxLength(DEVICE_DISPLAY_NAME_MAX_LENGTH)
  device_display_name?: string;
}

export class LoginDto implements LoginRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @IsOptional()
  @IsString()
  @MaxLength(DEVICE_DISPLAY_NAME_MAX_LENGTH)
  device_display_name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(CODE_MAX_LENGTH)
  totp_code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(RECOVERY_CODE_MAX_LENGTH)
  recovery_code?: string;
}

export class PasswordDto implements PasswordRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ReauthDto implements ReauthRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @IsOptional()
  @IsString()
  @MaxLength(CODE_MAX_LENGTH)
  totp_code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(RECOVERY_CODE_MAX_LENGTH)
  recovery_code?: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  old_password!: string;

  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  new_password!: string;

  @IsOptional()
  @IsString()
  @MaxLength(CODE_MAX_LENGTH)
  totp_code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(RECOVERY_CODE_MAX_LENGTH)
  recovery_code?: string;

  @IsOptional()
  @IsBoolean()
  logout_devices?: boolean;
}

export class TotpConfirmDto implements TotpConfirmRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(CODE_MAX_LENGTH)
  code!: string;

  @IsOptional()
  @IsBoolean()
  logout_devices?: boolean;
}

export class DisableSecondFactorDto extends ReauthDto implements DisableSecondFactorRequest {
  @IsOptional()
  @IsBoolean()
  logout_devices?: boolean;
}

export class HubSettingsDto implements HubSettings {
  @IsBoolean()
  require_second_factor_for_staff!: boolean;
}
