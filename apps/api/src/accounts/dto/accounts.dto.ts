import {
  DEVICE_DISPLAY_NAME_MAX_LENGTH,
  INVITE_CODE_MAX_LENGTH,
  LoginRequest,
  PASSWORD_MAX_LENGTH,
  PasswordRequest,
  RegisterRequest,
} from '@hearth/protocol';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

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
}

export class PasswordDto implements PasswordRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}
